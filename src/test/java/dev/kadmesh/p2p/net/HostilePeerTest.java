package dev.kadmesh.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Malicious peers over real TCP, each from its own loopback address (127.0.0.2), while an honest
 * peer on 127.0.0.1 must keep being served: protocol breakers are refused for a while, one address
 * cannot take more than its share of inbound connections, and a peer sending too fast is slowed
 * down without losing anything.
 */
class HostilePeerTest {
  private static final String ATTACKER = "127.0.0.2";
  private final NetResources resources = NetResources.create(2);
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    resources.close();
  }

  private TestPeer peer(NetLimits limits) {
    TestPeer p = new TestPeer(resources, NetConfig.defaults().withLimits(limits));
    open.add(p);
    return p;
  }

  private RawPeer attacker(TestPeer target) throws Exception {
    RawPeer r = new RawPeer(target.address(), ATTACKER);
    open.add(r);
    return r;
  }

  private void assertServesAnHonestPeer(TestPeer target) throws Exception {
    TestPeer honest = peer(NetLimits.defaults());
    Connection c = honest.net.dial(target.address(), target.id()).get(10, TimeUnit.SECONDS);
    c.send("still there?".getBytes(StandardCharsets.UTF_8)).join();
    TestPeer.Received got = target.messages.poll(5, TimeUnit.SECONDS);
    assertThat(got).isNotNull();
    assertThat(got.connection().remoteId()).isEqualTo(honest.id());
  }

  @Test
  void garbageAfterAValidHandshakeGetsTheAddressRefusedForAWhile() throws Exception {
    TestPeer node = peer(NetLimits.defaults().withPenalties(Duration.ofSeconds(2),
        Duration.ofMinutes(1)));
    RawPeer mallory = attacker(node).handshake(node.id());
    mallory.writeFrame(new byte[40]); // not a sealed frame
    assertThat(mallory.closedByPeer()).isTrue();
    assertThat(node.closed.poll(5, TimeUnit.SECONDS).reason())
        .isEqualTo(CloseReason.DECRYPT_FAILED);
    assertThat(node.net.punished()).isEqualTo(1);

    // the same address is now refused before any handshake work
    RawPeer again = attacker(node);
    assertThat(again.closedByPeer()).isTrue();
    assertThat(node.handshakeFailures.poll(5, TimeUnit.SECONDS)).isEqualTo(CloseReason.PENALIZED);
    assertServesAnHonestPeer(node);

    // once the refusal has run out the address may try again
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
        .until(() -> attackerCanHandshake(node));
  }

  @Test
  void oneAddressCannotTakeMoreThanItsShareOfInboundConnections() throws Exception {
    TestPeer node = peer(NetLimits.defaults().withMaxInboundPerAddress(3));
    List<RawPeer> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(attacker(node).handshake(node.id())); // established, then idle
    }
    RawPeer fourth = attacker(node);
    fourth.socket.setSoTimeout(2000);
    assertThat(fourth.closedByPeer()).isTrue();
    assertThat(node.handshakeFailures.poll(5, TimeUnit.SECONDS))
        .isEqualTo(CloseReason.ADDRESS_LIMIT);
    assertServesAnHonestPeer(node);

    held.get(0).close(); // a slot frees up when one of them goes
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> attackerCanHandshake(node));
  }

  @Test
  void anExemptAddressIsNeitherCappedNorRefusedButStillDisconnected() throws Exception {
    TestPeer node = peer(NetLimits.defaults().withMaxInboundPerAddress(2)
        .withExempt(List.of(AddressRange.parse("127.0.0.2/32"))));
    List<RawPeer> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) { // twice the cap
      held.add(attacker(node).handshake(node.id()));
    }
    assertThat(node.handshakeFailures).isEmpty();
    RawPeer noisy = held.get(0);
    noisy.writeFrame(new byte[40]); // a violation: still disconnected, but not refused
    assertThat(noisy.closedByPeer()).isTrue();
    assertThat(node.closed.poll(5, TimeUnit.SECONDS).reason())
        .isEqualTo(CloseReason.DECRYPT_FAILED);
    assertThat(node.net.punished()).isZero();
    assertThat(attackerCanHandshake(node)).isTrue();
  }

  @Test
  void aPeerSendingFasterThanTheLimitIsSlowedDownAndLosesNothing() throws Exception {
    int rate = 200;
    int burst = rate; // one second's worth
    int sent = 3 * rate;
    TestPeer node = peer(NetLimits.defaults().withRates(rate, 0));
    RawPeer flooder = attacker(node).handshake(node.id());
    long start = System.nanoTime();
    for (int i = 0; i < sent; i++) {
      flooder.writeRaw(frame(SessionBytes.seal(flooder.session, new byte[] {(byte) i})));
    }
    // an honest peer's message gets through while the flood is being paced
    TestPeer honest = peer(NetLimits.defaults());
    Connection c = honest.net.dial(node.address(), node.id()).get(10, TimeUnit.SECONDS);
    c.send("still there?".getBytes(StandardCharsets.UTF_8)).join();
    dev.kadmesh.p2p.identity.NodeId flooderId =
        dev.kadmesh.p2p.identity.NodeId.of(flooder.key.publicKey());
    int got = 0;
    boolean honestArrived = false;
    while (got < sent || !honestArrived) {
      TestPeer.Received r = node.messages.poll(10, TimeUnit.SECONDS);
      assertThat(r).as("message %d of %d (honest one arrived: %s)", got, sent, honestArrived)
          .isNotNull();
      if (r.connection().remoteId().equals(flooderId)) {
        assertThat(r.message()).containsExactly((byte) got);
        got++;
      } else {
        assertThat(r.connection().remoteId()).isEqualTo(honest.id());
        honestArrived = true;
      }
    }
    // the burst passes at once, the rest at the limit: it cannot have taken less
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(seconds).isGreaterThanOrEqualTo((sent - burst) / (double) rate * 0.95);
    assertThat(node.net.throttled()).isPositive();
    assertThat(node.closed).isEmpty();
  }

  @Test
  void aPeerTricklingAFrameIsClosedAtTheFrameDeadline() throws Exception {
    TestPeer node = peer(NetLimits.defaults().withFrameTimeout(Duration.ofSeconds(1)));
    RawPeer loris = attacker(node).handshake(node.id());
    // a whole message first: the deadline is per frame, not per connection
    loris.writeRaw(frame(SessionBytes.seal(loris.session, new byte[] {7})));
    assertThat(node.messages.poll(5, TimeUnit.SECONDS)).isNotNull();
    long start = System.nanoTime();
    loris.writeRaw(new byte[] {0, 0, 0, 100});
    for (int i = 0; i < 100 && node.closed.isEmpty(); i++) { // a byte every 100 ms: 10 s a frame
      try {
        loris.writeRaw(new byte[] {1});
      } catch (java.io.IOException closedOnUs) {
        break;
      }
      Thread.sleep(100); // the attacker's pace, not a wait for a result
    }
    TestPeer.Closed closed = node.closed.poll(5, TimeUnit.SECONDS);
    assertThat(closed).isNotNull();
    assertThat(closed.reason()).isEqualTo(CloseReason.SLOW_FRAME);
    assertThat((System.nanoTime() - start) / 1e9).isGreaterThanOrEqualTo(0.95);
    assertThat(node.net.punished()).as("a slow link looks the same: not punished").isZero();
    assertServesAnHonestPeer(node);
  }

  @Test
  void aLargeFrameOnASlowLinkGetsTimeInProportionToItsLength() throws Exception {
    // any frame: 1 s, plus its length at 20,000 bytes/s (40,000 bytes: 3 s in all)
    TestPeer node = peer(NetLimits.defaults().withFrameTimeout(Duration.ofSeconds(1))
        .withFrameMinRate(20_000));
    RawPeer slow = attacker(node).handshake(node.id()); // an honest peer on a slow link
    byte[] body = new byte[40_000 - 16];
    body[body.length - 1] = 5;
    byte[] frame = frame(SessionBytes.seal(slow.session, body));
    long start = System.nanoTime();
    for (int at = 0; at < frame.length; at += 2500) { // 25,000 bytes/s: 1.6 s in all
      slow.writeRaw(java.util.Arrays.copyOfRange(frame, at, Math.min(frame.length, at + 2500)));
      Thread.sleep(100); // the sender's pace, not a wait for a result
    }
    TestPeer.Received got = node.messages.poll(10, TimeUnit.SECONDS);
    assertThat((System.nanoTime() - start) / 1e9).as("longer than the fixed second")
        .isGreaterThan(1.0);
    assertThat(got).as("delivered, not closed at the fixed second").isNotNull();
    assertThat(got.message()).isEqualTo(body);
    assertThat(node.closed).isEmpty();
  }

  @Test
  void largeFramesLeftHangingCannotHoldMoreThanTheBufferBudgetAndNothingIsLost() throws Exception {
    int announced = 1_000_000; // each attacker announces this much and sends 1000 bytes of it
    long buffer = FrameDecoder.bufferFor(announced); // what each of them reserves
    long budget = 2 * buffer + 100_000; // room for two of them
    TestPeer node = peer(NetLimits.defaults().withInboundBufferBytes(budget));
    List<RawPeer> holders = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RawPeer r = attacker(node).handshake(node.id());
      byte[] start = java.nio.ByteBuffer.allocate(1004).putInt(announced).array();
      r.writeRaw(start);
      holders.add(r);
      int expectedWaiting = i < 2 ? 0 : 1;
      long expectedReserved = Math.min(i + 1, 2) * buffer;
      await().atMost(Duration.ofSeconds(10)).until(() ->
          node.net.inboundBufferBytes() == expectedReserved
              && node.net.bufferWaiting() == expectedWaiting);
    }
    // small messages never wait for the budget
    assertServesAnHonestPeer(node);
    // a large honest message waits its turn, behind the third attacker
    TestPeer honest = peer(NetLimits.defaults());
    Connection c = honest.net.dial(node.address(), node.id()).get(10, TimeUnit.SECONDS);
    byte[] big = new byte[600_000];
    new java.util.Random(3).nextBytes(big);
    c.send(big);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.net.bufferWaiting() == 2);
    assertThat(node.net.inboundBufferBytes()).isEqualTo(2 * buffer);

    holders.get(0).close(); // its bytes go to the third attacker, first in line
    await().atMost(Duration.ofSeconds(10)).until(() -> node.net.bufferWaiting() == 1);
    assertThat(node.net.inboundBufferBytes()).isEqualTo(2 * buffer);
    holders.get(1).close(); // now the honest message fits
    TestPeer.Received got = node.messages.poll(10, TimeUnit.SECONDS);
    assertThat(got).isNotNull();
    assertThat(got.connection().remoteId()).isEqualTo(honest.id());
    assertThat(got.message()).isEqualTo(big);
    assertThat(node.net.bufferWaits()).isEqualTo(2);
    holders.get(2).close();
    await().atMost(Duration.ofSeconds(10)).until(() -> node.net.inboundBufferBytes() == 0
        && node.net.bufferWaiting() == 0);
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void aFrameWaitingForTheBudgetIsNotHeldToTheFrameDeadline() throws Exception {
    int announced = NetConfig.defaults().maxMessageLength() + 16; // a maximal frame
    long buffer = FrameDecoder.bufferFor(announced);
    TestPeer node = peer(NetLimits.defaults().withInboundBufferBytes(buffer) // room for one
        .withFrameTimeout(Duration.ofSeconds(2)).withFrameMinRate(0)); // 2 s for any frame
    TestPeer honest = peer(NetLimits.defaults());
    Connection c = honest.net.dial(node.address(), node.id()).get(10, TimeUnit.SECONDS);
    RawPeer first = attacker(node).handshake(node.id());
    RawPeer second = attacker(node).handshake(node.id());
    byte[] start = java.nio.ByteBuffer.allocate(104).putInt(announced).array();
    first.writeRaw(start);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.net.inboundBufferBytes() == buffer);
    second.writeRaw(start);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.net.bufferWaiting() == 1);
    byte[] big = new byte[500_000];
    big[499_999] = 9;
    c.send(big);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.net.bufferWaiting() == 2);
    // each attacker is closed at its own deadline, counted from when its frame could proceed;
    // the honest message waits for both, twice the deadline, and is not closed for it
    for (int i = 0; i < 2; i++) {
      TestPeer.Closed closed = node.closed.poll(10, TimeUnit.SECONDS);
      assertThat(closed).as("attacker %d", i).isNotNull();
      assertThat(closed.reason()).isEqualTo(CloseReason.SLOW_FRAME);
      assertThat(closed.connection().remoteId()).isNotEqualTo(honest.id());
    }
    TestPeer.Received got = node.messages.poll(10, TimeUnit.SECONDS);
    assertThat(got).isNotNull();
    assertThat(got.message()).isEqualTo(big);
    assertThat(node.closed).isEmpty();
    assertThat(node.net.bufferWaits()).isEqualTo(2);
  }

  /** Whether a new connection from the attacker's address completes a handshake. */
  private static boolean attackerCanHandshake(TestPeer node) {
    try (RawPeer next = new RawPeer(node.address(), ATTACKER)) {
      next.handshake(node.id());
      return true;
    } catch (Exception refused) {
      return false;
    }
  }

  private static byte[] frame(byte[] body) {
    return java.nio.ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
  }
}

package dev.kadmesh.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kadmesh.p2p.crypto.AeadCipher;
import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.identity.NodeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The transport over real TCP on loopback: the seed's first test row and hostile peers. */
class NetTest {
  private static NetResources resources;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void startLoops() {
    resources = NetResources.create(2);
  }

  @AfterAll
  static void stopLoops() {
    resources.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /**
   * Penalties off: here the faulty peers and the honest one share 127.0.0.1 (HostilePeerTest
   * covers penalties, with attackers on their own address).
   */
  private TestPeer peer(NetConfig config) {
    TestPeer p = new TestPeer(resources,
        config.withLimits(config.limits().withPenalties(Duration.ZERO, Duration.ZERO)));
    open.add(p);
    return p;
  }

  private TestPeer peer() {
    return peer(NetConfig.defaults());
  }

  private RawPeer raw(TestPeer target) throws IOException {
    RawPeer r = new RawPeer(target.address());
    open.add(r);
    return r;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Connection dial(TestPeer from, TestPeer to) {
    return from.net.dial(to.address(), to.id()).join();
  }

  /** Asserts an honest peer still gets a working session with {@code target}. */
  private void assertStillServes(TestPeer target) throws Exception {
    TestPeer honest = peer();
    Connection c = dial(honest, target);
    c.send(utf8("still there?")).join();
    TestPeer.Received got = target.messages.poll(5, TimeUnit.SECONDS);
    assertThat(got).isNotNull();
    assertThat(got.connection().remoteId()).isEqualTo(honest.id());
  }

  @Test
  void simpleMessageExchange() throws Exception {
    TestPeer node1 = peer();
    TestPeer node2 = peer();

    Connection toNode2 = dial(node1, node2);
    toNode2.send(utf8("ping")).join();

    TestPeer.Received atNode2 = node2.messages.poll(5, TimeUnit.SECONDS);
    assertThat(atNode2).isNotNull();
    assertThat(new String(atNode2.message(), StandardCharsets.UTF_8)).isEqualTo("ping");
    // node 2 knows who sent it: the authenticated key of node 1
    assertThat(atNode2.connection().remoteId()).isEqualTo(node1.id());
    assertThat(atNode2.connection().remoteNode()).contains(node1.node());
    assertThat(atNode2.connection().direction()).isEqualTo(Connection.Direction.INBOUND);
    assertThat(node2.inbound.poll(5, TimeUnit.SECONDS).remoteId()).isEqualTo(node1.id());

    atNode2.connection().send(utf8("pong")).join();
    TestPeer.Received atNode1 = node1.messages.poll(5, TimeUnit.SECONDS);
    assertThat(atNode1).isNotNull();
    assertThat(new String(atNode1.message(), StandardCharsets.UTF_8)).isEqualTo("pong");
    assertThat(atNode1.connection()).isSameAs(toNode2);
  }

  @Test
  void manyMessagesArriveInOrder() throws Exception {
    TestPeer a = peer();
    TestPeer b = peer();
    Connection c = dial(a, b);
    for (int i = 0; i < 1000; i++) {
      c.send(utf8("m" + i));
    }
    for (int i = 0; i < 1000; i++) {
      TestPeer.Received r = b.messages.poll(5, TimeUnit.SECONDS);
      assertThat(r).isNotNull();
      assertThat(new String(r.message(), StandardCharsets.UTF_8)).isEqualTo("m" + i);
    }
  }

  @Test
  void dialFailsClearlyWhenTheNetworkIdDiffers() throws Exception {
    TestPeer node = peer();
    TestPeer stranger = peer(NetConfig.defaults().withNetwork(2, "kadmesh/0.1.0"));
    assertDialFails(stranger, node, CloseReason.NETWORK_MISMATCH);
    assertThat(node.handshakeFailures.poll(5, TimeUnit.SECONDS))
        .isEqualTo(CloseReason.NETWORK_MISMATCH);
    assertStillServes(node);
  }

  @Test
  void dialFailsClearlyWhenTheVersionIsIncompatible() {
    TestPeer node = peer();
    TestPeer stranger = peer(NetConfig.defaults().withNetwork(1, "kadmesh/7.0.0"));
    assertDialFails(stranger, node, CloseReason.VERSION_MISMATCH);
  }

  @Test
  void peersWithClocksTooFarBehindOrAheadAreRefused() throws Exception {
    TestPeer node = peer();
    for (long offset : new long[] {-Duration.ofMinutes(5).toMillis(),
        Duration.ofMinutes(5).toMillis()}) {
      TestPeer skewed =
          peer(NetConfig.defaults().withClock(() -> System.currentTimeMillis() + offset));
      assertDialFails(skewed, node, CloseReason.CLOCK_SKEW);
    }
    assertStillServes(node);
  }

  @Test
  void dialingKeyAWhenKeyBAnswersFails() throws Exception {
    TestPeer a = peer();
    TestPeer b = peer();
    NodeId someoneElse = NodeId.of(PrivateKey.generate(new SecureRandom()).publicKey());
    Throwable e = catchDial(a.net.dial(b.address(), someoneElse));
    assertThat(e).isInstanceOf(DialException.class);
    assertThat(((DialException) e).reason()).isEqualTo(CloseReason.WRONG_KEY);
    assertThat(e.getMessage()).contains("WRONG_KEY");
    assertStillServes(b);
  }

  @Test
  void aDialToAPeerThatNeverAnswersTheHandshakeTimesOut() throws Exception {
    TestPeer a = peer(NetConfig.defaults().withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(5)));
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
      NodeId someone = NodeId.of(PrivateKey.generate(new SecureRandom()).publicKey());
      Throwable e = catchDial(a.net.dial(
          new java.net.InetSocketAddress("127.0.0.1", silent.getLocalPort()), someone));
      assertThat(((DialException) e).reason()).isEqualTo(CloseReason.HANDSHAKE_TIMEOUT);
    }
  }

  @Test
  void dialToAPortNobodyListensOnFailsAsConnectFailed() throws Exception {
    TestPeer a = peer();
    // a bound, non-listening socket holds the port: nothing can listen on it, and no dial can
    // pick it as its own source port (which would connect the dial to itself)
    try (java.net.Socket holder = new java.net.Socket()) {
      holder.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
      NodeId someone = NodeId.of(PrivateKey.generate(new SecureRandom()).publicKey());
      Throwable e = catchDial(a.net.dial(
          new java.net.InetSocketAddress("127.0.0.1", holder.getLocalPort()), someone));
      assertThat(((DialException) e).reason()).isEqualTo(CloseReason.CONNECT_FAILED);
      assertThat(e.getMessage()).contains("cannot connect");
    }
  }

  @Test
  void aBadHandshakeSignatureIsRefusedAndTheNodeKeepsServing() throws Exception {
    TestPeer node = peer();
    RawPeer mallory = raw(node);
    mallory.handshake(node.id(), fin -> {
      byte[] copy = fin.clone();
      copy[copy.length - 1] ^= 1; // last byte of the signature
      return copy;
    });
    assertThat(mallory.closedByPeer()).isTrue();
    assertThat(node.handshakeFailures.poll(5, TimeUnit.SECONDS))
        .isEqualTo(CloseReason.BAD_SIGNATURE);
    assertThat(node.inbound).isEmpty();
    assertStillServes(node);
  }

  @Test
  void oneFlippedBitAtEveryPositionOfASessionFrameClosesTheConnection() throws Exception {
    TestPeer node = peer();
    byte[] plaintext = utf8("sixteen bytes!!!");
    int frameLength = FrameDecoder.HEADER_LENGTH + plaintext.length + AeadCipher.TAG_LENGTH;
    for (int pos = 0; pos < frameLength; pos++) {
      RawPeer mallory = raw(node).handshake(node.id());
      byte[] sealed = SessionBytes.seal(mallory.session, plaintext);
      byte[] frame = new byte[frameLength];
      java.nio.ByteBuffer.wrap(frame).putInt(sealed.length).put(sealed);
      frame[pos] ^= 1;
      mallory.writeRaw(frame);
      try {
        // a longer announced length needs more bytes before the decoder can judge it
        mallory.writeRaw(new byte[70_000]);
      } catch (IOException alreadyClosed) {
        // the node closed first: what we want
      }
      assertThat(mallory.closedByPeer()).as("flip at byte %d", pos).isTrue();
      TestPeer.Closed closed = node.closed.poll(5, TimeUnit.SECONDS);
      assertThat(closed.reason()).isIn(CloseReason.DECRYPT_FAILED, CloseReason.FRAME_TOO_LARGE);
      mallory.close();
    }
    assertThat(node.messages).isEmpty();
    assertStillServes(node);
  }

  @Test
  void aReplayedFrameClosesTheConnection() throws Exception {
    TestPeer node = peer();
    RawPeer mallory = raw(node).handshake(node.id());
    byte[] frame = SessionBytes.seal(mallory.session, utf8("once"));
    mallory.writeFrame(frame);
    mallory.writeFrame(frame);
    assertThat(mallory.closedByPeer()).isTrue();
    assertThat(node.messages.poll(5, TimeUnit.SECONDS).message()).isEqualTo(utf8("once"));
    assertThat(node.closed.poll(5, TimeUnit.SECONDS).reason()).isEqualTo(CloseReason.DECRYPT_FAILED);
    assertThat(node.messages).isEmpty();
    assertStillServes(node);
  }

  @Test
  void aReflectedFrameClosesTheConnection() throws Exception {
    TestPeer node = peer();
    RawPeer mallory = raw(node).handshake(node.id());
    Connection atNode = node.inbound.poll(5, TimeUnit.SECONDS);
    atNode.send(utf8("hello raw peer")).join();
    byte[] fromNode = mallory.readFrame();
    assertThat(SessionBytes.open(mallory.session, fromNode)).isEqualTo(utf8("hello raw peer"));
    mallory.writeFrame(fromNode); // send the node's own frame back to it
    assertThat(mallory.closedByPeer()).isTrue();
    assertThat(node.closed.poll(5, TimeUnit.SECONDS).reason()).isEqualTo(CloseReason.DECRYPT_FAILED);
    assertThat(node.messages).isEmpty();
    assertStillServes(node);
  }

  @Test
  void anOversizedLengthClosesTheConnectionBeforeAndAfterTheHandshake() throws Exception {
    TestPeer node = peer();
    RawPeer early = raw(node);
    early.writeRaw(new byte[] {0x00, 0x00, 0x08, 0x00}); // 2048: above the handshake limit
    assertThat(early.closedByPeer()).isTrue();
    assertThat(node.handshakeFailures.poll(5, TimeUnit.SECONDS))
        .isEqualTo(CloseReason.FRAME_TOO_LARGE);

    RawPeer late = raw(node).handshake(node.id());
    late.writeRaw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    assertThat(late.closedByPeer()).isTrue();
    assertThat(node.closed.poll(5, TimeUnit.SECONDS).reason()).isEqualTo(CloseReason.FRAME_TOO_LARGE);
    assertStillServes(node);
  }

  @Test
  void aPeerThatNeverFinishesTheHandshakeIsDropped() throws Exception {
    TestPeer node =
        peer(NetConfig.defaults().withTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(5)));
    RawPeer silent = raw(node);
    assertStillServes(node);
    silent.socket.setSoTimeout(10_000);
    assertThat(silent.closedByPeer()).isTrue();
    assertThat(node.handshakeFailures.poll(5, TimeUnit.SECONDS))
        .isEqualTo(CloseReason.HANDSHAKE_TIMEOUT);
    await().atMost(Duration.ofSeconds(5)).until(() -> node.net.pendingHandshakes() == 0);
  }

  @Test
  void connectionsBeyondThePendingHandshakeCapAreRefusedAtOnce() throws Exception {
    TestPeer node = peer(NetConfig.defaults().withMaxPendingHandshakes(3)
        .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(5)));
    List<RawPeer> stalled = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      stalled.add(raw(node));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> node.net.pendingHandshakes() == 3);
    for (int i = 0; i < 3; i++) {
      RawPeer extra = raw(node);
      extra.socket.setSoTimeout(2000);
      assertThat(extra.closedByPeer()).isTrue();
    }
    assertThat(node.handshakeFailures).contains(CloseReason.CAPACITY);
    // stalled inbound peers do not stop the node from dialling out
    TestPeer other = peer();
    assertThat(dial(node, other).isOpen()).isTrue();
    for (RawPeer r : stalled) {
      r.close();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> node.net.pendingHandshakes() == 0);
    assertStillServes(node);
  }

  @Test
  void oversizedSendsFailWithoutClosingTheConnection() throws Exception {
    TestPeer a = peer();
    TestPeer b = peer();
    Connection c = dial(a, b);
    int max = a.net.config().maxMessageLength();
    assertThatThrownBy(() -> c.send(new byte[max + 1]).join())
        .hasCauseInstanceOf(SendException.class)
        .hasMessageContaining("exceeds the maximum");
    c.send(new byte[max]).join();
    assertThat(b.messages.poll(5, TimeUnit.SECONDS).message()).hasSize(max);
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void closeReachesBothSidesAndFailsLaterSends() throws Exception {
    TestPeer a = peer();
    TestPeer b = peer();
    Connection c = dial(a, b);
    b.inbound.poll(5, TimeUnit.SECONDS);
    c.close();
    assertThat(c.closeFuture().get(5, TimeUnit.SECONDS)).isEqualTo(CloseReason.LOCAL_CLOSE);
    assertThat(b.closed.poll(5, TimeUnit.SECONDS).reason()).isEqualTo(CloseReason.REMOTE_CLOSE);
    assertThatThrownBy(() -> c.send(utf8("late")).join()).hasMessageContaining("closed");
  }

  @Test
  void shutdownClosesConnectionsAndRefusesNewDials() throws Exception {
    TestPeer a = peer();
    TestPeer b = peer();
    Connection c = dial(a, b);
    a.net.close();
    assertThat(c.closeFuture().get(5, TimeUnit.SECONDS)).isEqualTo(CloseReason.LOCAL_CLOSE);
    Throwable e = catchDial(a.net.dial(b.address(), b.id()));
    assertThat(((DialException) e).reason()).isEqualTo(CloseReason.LOCAL_CLOSE);
  }

  private static void assertDialFails(TestPeer from, TestPeer to, CloseReason reason) {
    Throwable e = catchDial(from.net.dial(to.address(), to.id()));
    assertThat(e).isInstanceOf(DialException.class);
    assertThat(((DialException) e).reason()).isEqualTo(reason);
  }

  private static Throwable catchDial(java.util.concurrent.CompletableFuture<Connection> f) {
    try {
      f.orTimeout(15, TimeUnit.SECONDS).join();
      throw new AssertionError("dial unexpectedly succeeded");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}

package dev.kadmesh.p2p.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.time.VirtualScheduler;
import dev.kadmesh.p2p.wire.proto.Metadata;
import dev.kadmesh.p2p.wire.proto.ProtocolMessage;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Envelope validation and routing, on an in-memory transport and virtual time. */
class SwarmTest {
  private static final long T0 = 1_800_000_000_000L;
  private final SecureRandom keys = new SecureRandom(new byte[] {5});
  private final VirtualScheduler time = new VirtualScheduler(T0);
  private final MemoryTransport.Network network = new MemoryTransport.Network();
  private final LocalNode aliceKey = LocalNode.generate("127.0.0.1", 1001, keys);
  private final LocalNode bobKey = LocalNode.generate("127.0.0.1", 1002, keys);
  private final LocalNode malloryKey = LocalNode.generate("127.0.0.1", 1003, keys);
  private final MemoryTransport aliceNet = new MemoryTransport(network, aliceKey.node());
  private final MemoryTransport bobNet = new MemoryTransport(network, bobKey.node());
  private final Swarm alice = swarm(aliceKey, aliceNet, config());
  private final Swarm bob = swarm(bobKey, bobNet, config());

  private static SwarmConfig config() {
    return SwarmConfig.defaults("kadmesh/0.1.0", 64 * 1024);
  }

  private Swarm swarm(LocalNode key, MemoryTransport transport, SwarmConfig config) {
    return new Swarm(config, key, transport, time, new Random(1));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** An envelope authored by {@code author}, optionally signed, with chosen fields. */
  private static byte[] envelope(LocalNode author, String protocol, byte[] payload, long timestamp,
      String version, boolean sign) {
    Metadata unsigned = Metadata.newBuilder()
        .setProtocol(protocol)
        .setReqId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .setClientVersion(version)
        .setTimestamp(timestamp)
        .setAuthPubKey(ByteString.copyFrom(author.id().toBytes()))
        .build();
    Metadata md = sign
        ? unsigned.toBuilder().setAuthorSign(ByteString.copyFrom(
            Envelope.sign(author.privateKey(), unsigned, payload))).build()
        : unsigned;
    return ProtocolMessage.newBuilder().setMetadata(md).setPayload(ByteString.copyFrom(payload))
        .build().toByteArray();
  }

  @Test
  void aDirectMessageArrivesWithItsSenderAndAuthor() throws Exception {
    MessageStream inbox = bob.registerProtocol("chat");
    alice.sendTo(bobKey.node(), "chat", utf8("hi")).join();
    Message m = inbox.poll();
    assertThat(new String(m.data(), StandardCharsets.UTF_8)).isEqualTo("hi");
    assertThat(m.sender()).isEqualTo(aliceKey.id());
    assertThat(m.author()).isEqualTo(aliceKey.id());
    assertThat(m.senderAddress()).contains(aliceKey.node());
    assertThat(m.timestamp()).isEqualTo(T0);
    assertThat(bob.stats().delivered()).isEqualTo(1);
  }

  @Test
  void aDirectMessageWrittenByAnotherAuthorIsRejected() {
    MessageStream inbox = bob.registerProtocol("chat");
    bobNet.inject(aliceKey.node(), envelope(malloryKey, "chat", utf8("forged"), T0,
        "kadmesh/0.1.0", true));
    assertThat(inbox.poll()).isNull();
    assertThat(bob.stats().rejected(RejectReason.AUTHOR_MISMATCH)).isEqualTo(1);
    assertThat(bobNet.misbehaved).containsExactly(aliceKey.id() + " AUTHOR_MISMATCH");
    assertThat(bob.stats().violations()).isEqualTo(1);
  }

  @Test
  void messagesOutsideTheTimestampWindowAreRejected() {
    MessageStream inbox = bob.registerProtocol("chat");
    long window = config().messageWindow().toMillis();
    bobNet.inject(aliceKey.node(), envelope(aliceKey, "chat", utf8("old"), T0 - window - 1,
        "kadmesh/0.1.0", false));
    bobNet.inject(aliceKey.node(), envelope(aliceKey, "chat", utf8("future"), T0 + window + 1,
        "kadmesh/0.1.0", false));
    bobNet.inject(aliceKey.node(), envelope(aliceKey, "chat", utf8("edge"), T0 - window,
        "kadmesh/0.1.0", false));
    assertThat(bob.stats().rejected(RejectReason.TIMESTAMP)).isEqualTo(2);
    assertThat(new String(inbox.poll().data(), StandardCharsets.UTF_8)).isEqualTo("edge");
    assertThat(bobNet.misbehaved).as("clocks differ: not a violation").isEmpty();
  }

  @Test
  void aSignedPayloadChangedAfterItsFirst32BytesIsRejected() {
    Swarm strictBob = new Swarm(config().withSignDirectMessages(true), bobKey, bobNet, time,
        new Random(2));
    MessageStream inbox = strictBob.registerProtocol("chat");
    byte[] payload = new byte[100];
    byte[] honest = envelope(aliceKey, "chat", payload, T0, "kadmesh/0.1.0", true);
    ProtocolMessage pm = parse(honest);
    byte[] changed = payload.clone();
    changed[40] = 1;
    byte[] forged = pm.toBuilder().setPayload(ByteString.copyFrom(changed)).build().toByteArray();
    bobNet.inject(aliceKey.node(), forged);
    assertThat(strictBob.stats().rejected(RejectReason.BAD_SIGNATURE)).isEqualTo(1);
    bobNet.inject(aliceKey.node(), envelope(aliceKey, "chat", payload, T0, "kadmesh/0.1.0", false));
    assertThat(strictBob.stats().rejected(RejectReason.MISSING_SIGNATURE)).isEqualTo(1);
    // a bad signature is a violation; an unsigned direct message is only our own setting
    assertThat(bobNet.misbehaved).containsExactly(aliceKey.id() + " BAD_SIGNATURE");
    bobNet.inject(aliceKey.node(), honest);
    assertThat(inbox.poll().data()).isEqualTo(payload);
  }

  @Test
  void malformedAndIncompatibleEnvelopesAreRejected() {
    bob.registerProtocol("chat");
    bobNet.inject(aliceKey.node(), new byte[] {(byte) 0xff, 0x00, 0x13});
    bobNet.inject(aliceKey.node(), envelope(aliceKey, "chat", utf8("x"), T0, "kadmesh/9.0.0",
        false));
    assertThat(bob.stats().rejected(RejectReason.MALFORMED)).isEqualTo(1);
    assertThat(bob.stats().rejected(RejectReason.VERSION_MISMATCH)).isEqualTo(1);
    assertThat(bobNet.misbehaved).containsExactly(aliceKey.id() + " MALFORMED");
  }

  @Test
  void anotherMinorVersionIsAcceptedAndOurOwnVersionMustBeWellFormed() {
    MessageStream inbox = bob.registerProtocol("chat");
    bobNet.inject(aliceKey.node(), envelope(aliceKey, "chat", utf8("x"), T0, "other/0.7.3-rc1",
        false));
    assertThat(inbox.poll().data()).isEqualTo(utf8("x"));
    assertThatThrownBy(() -> SwarmConfig.defaults("kadmesh-0.1", 1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name/major.minor.patch");
  }

  @Test
  void aFullStreamDropsAndCountsWhileTheNodeKeepsRunning() {
    Swarm smallBob = new Swarm(config().withInboxCapacity(2), bobKey, bobNet, time, new Random(3));
    MessageStream inbox = smallBob.registerProtocol("flood");
    for (int i = 0; i < 5; i++) {
      alice.sendTo(bobKey.node(), "flood", utf8("m" + i)).join();
    }
    assertThat(inbox.size()).isEqualTo(2);
    assertThat(inbox.dropped()).isEqualTo(3);
    assertThat(smallBob.stats().rejected(RejectReason.OVERFLOW)).isEqualTo(3);
    assertThat(new String(inbox.poll().data(), StandardCharsets.UTF_8)).isEqualTo("m0");
  }

  @Test
  void registrationIsExclusiveAndCanBeUndone() {
    MessageStream first = bob.registerProtocol("chat");
    assertThatThrownBy(() -> bob.registerProtocol("chat"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already registered");
    bob.handleRequests("internal", r -> null);
    assertThatThrownBy(() -> bob.registerProtocol("internal"))
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> bob.registerProtocol("")).hasMessageContaining("1..128");
    bob.unregisterProtocol("chat");
    assertThat(first.isClosed()).isTrue();
    alice.sendTo(bobKey.node(), "chat", utf8("late")).join();
    assertThat(bob.stats().rejected(RejectReason.UNKNOWN_PROTOCOL)).isEqualTo(1);
    MessageStream again = bob.registerProtocol("chat");
    alice.sendTo(bobKey.node(), "chat", utf8("welcome back")).join();
    assertThat(again.poll()).isNotNull();
  }

  @Test
  void requestsGetTheirAnswerOrTimeOutOnVirtualTime() {
    bob.handleRequests("echo", r -> r.data());
    Message answer = alice.request(bobKey.node(), "echo", utf8("ping"), 1000).join();
    assertThat(new String(answer.data(), StandardCharsets.UTF_8)).isEqualTo("ping");
    assertThat(answer.sender()).isEqualTo(bobKey.id());

    bob.handleRequests("silent", r -> null);
    CompletableFuture<Message> unanswered = alice.request(bobKey.node(), "silent", utf8("?"), 1000);
    time.advance(999);
    assertThat(unanswered).isNotDone();
    time.advance(1);
    assertThatThrownBy(unanswered::join)
        .hasCauseInstanceOf(SendFailure.class)
        .hasMessageContaining("timed out");
    assertThat(alice.pendingRequests()).isZero();
  }

  /** A gossip envelope by {@code author}: signed, unsigned, or signed and then altered. */
  private static byte[] gossip(LocalNode author, byte[] payload, boolean sign, boolean alter) {
    Metadata unsigned = Metadata.newBuilder()
        .setProtocol("news")
        .setReqId(ByteString.copyFrom(new byte[8]))
        .setClientVersion("kadmesh/0.1.0")
        .setTimestamp(T0)
        .setGossip(true)
        .setAuthPubKey(ByteString.copyFrom(author.id().toBytes()))
        .build();
    Metadata md = sign ? unsigned.toBuilder().setAuthorSign(ByteString.copyFrom(
        Envelope.sign(author.privateKey(), unsigned, payload))).build() : unsigned;
    byte[] body = payload.clone();
    if (alter) {
      body[body.length - 1] ^= 1;
    }
    return ProtocolMessage.newBuilder().setMetadata(md).setPayload(ByteString.copyFrom(body))
        .build().toByteArray();
  }

  @Test
  void gossipMustCarryAValidAuthorSignatureEvenWhenRelayedByAnother() {
    java.util.List<Message> passed = new java.util.ArrayList<>();
    bob.setGossip(new Gossip() {
      @Override
      public CompletableFuture<Void> broadcast(String protocol, byte[] payload) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void onGossip(Message message, byte[] envelope, byte[] id, int relayHeight) {
        passed.add(message);
      }
    });
    byte[] payload = new byte[64];
    // relayed by alice, written by mallory
    bobNet.inject(aliceKey.node(), gossip(malloryKey, payload, false, false));
    bobNet.inject(aliceKey.node(), gossip(malloryKey, payload, true, true));
    assertThat(bob.stats().rejected(RejectReason.MISSING_SIGNATURE)).isEqualTo(1);
    assertThat(bob.stats().rejected(RejectReason.BAD_SIGNATURE)).isEqualTo(1);
    assertThat(passed).isEmpty();
    // the relay should have checked them: it is the one disconnected
    assertThat(bobNet.misbehaved).containsExactly(aliceKey.id() + " MISSING_SIGNATURE",
        aliceKey.id() + " BAD_SIGNATURE");
    bobNet.inject(aliceKey.node(), gossip(malloryKey, payload, true, false));
    assertThat(passed).hasSize(1);
    assertThat(passed.get(0).author()).isEqualTo(malloryKey.id());
    assertThat(passed.get(0).sender()).isEqualTo(aliceKey.id());
  }

  @Test
  void aResponseFromAnotherPeerThanTheOneAskedIsRejected() {
    byte[][] reqId = new byte[1][];
    bob.handleRequests("silent", r -> {
      reqId[0] = r.reqId();
      return null;
    });
    MemoryTransport malloryNet = new MemoryTransport(network, malloryKey.node());
    Swarm mallory = swarm(malloryKey, malloryNet, config());
    CompletableFuture<Message> waiting = alice.request(bobKey.node(), "silent", utf8("?"), 1000);
    assertThat(reqId[0]).isNotNull();
    // mallory learns the reqId and answers in bob's place
    aliceNet.inject(malloryKey.node(), mallory.envelope("silent", reqId[0], utf8("fake"), false,
        true));
    assertThat(alice.stats().rejected(RejectReason.UNSOLICITED_RESPONSE)).isEqualTo(1);
    assertThat(waiting).isNotDone();
    // bob's real answer would still be accepted
    bobNet.inject(bobKey.node(), new byte[0]);
    aliceNet.inject(bobKey.node(), bob.envelope("silent", reqId[0], utf8("real"), false, true));
    assertThat(new String(waiting.join().data(), StandardCharsets.UTF_8)).isEqualTo("real");
  }

  @Test
  void shutdownFailsSendsStillLookingForTheirPeer() {
    alice.setPeerFinder(neverFinds());
    CompletableFuture<Void> f = alice.sendMessageAsync(malloryKey.id(), "x", utf8("?"));
    assertThat(f).isNotDone();
    alice.shutdown();
    assertThat(kindOf(f)).isEqualTo(SendFailure.Kind.SHUTTING_DOWN);
  }

  private static PeerFinder neverFinds() {
    return new PeerFinder() {
      @Override
      public java.util.Optional<dev.kadmesh.p2p.identity.Node> findLocal(
          dev.kadmesh.p2p.identity.NodeId id) {
        return java.util.Optional.empty();
      }

      @Override
      public CompletableFuture<java.util.Optional<dev.kadmesh.p2p.identity.Node>> find(
          dev.kadmesh.p2p.identity.NodeId id) {
        return new CompletableFuture<>(); // a lookup that never ends
      }

      @Override
      public void seen(dev.kadmesh.p2p.identity.Node node) {}
    };
  }

  @Test
  void anAsyncSendThatCannotFinishFailsWithTimeoutOnVirtualTime() {
    alice.setPeerFinder(neverFinds());
    CompletableFuture<Void> f = alice.sendMessageAsync(malloryKey.id(), "x", utf8("?"));
    time.advance(config().sendTimeout().toMillis() - 1);
    assertThat(f).isNotDone();
    time.advance(1);
    assertThat(kindOf(f)).isEqualTo(SendFailure.Kind.TIMEOUT);
  }

  @Test
  void aResponseNobodyAskedForIsRejected() {
    byte[] fake = alice.envelope("echo", new byte[8], utf8("surprise"), false, true);
    bobNet.inject(aliceKey.node(), fake);
    assertThat(bob.stats().rejected(RejectReason.UNSOLICITED_RESPONSE)).isEqualTo(1);
  }

  @Test
  void badSendsFailWithClearKinds() {
    assertThat(kindOf(alice.sendTo(aliceKey.node(), "x", utf8("me")))).isEqualTo(SendFailure.Kind.INVALID);
    assertThat(kindOf(alice.sendTo(bobKey.node(), "", utf8("x")))).isEqualTo(SendFailure.Kind.INVALID);
    assertThat(kindOf(alice.sendTo(bobKey.node(), "x", new byte[config().maxPayload() + 1])))
        .isEqualTo(SendFailure.Kind.TOO_LARGE);
    assertThat(kindOf(alice.sendMessageAsync(malloryKey.id(), "x", utf8("?"))))
        .isEqualTo(SendFailure.Kind.NOT_FOUND);
    // known address, nobody there
    assertThat(kindOf(alice.sendTo(malloryKey.node(), "x", utf8("?"))))
        .isEqualTo(SendFailure.Kind.UNREACHABLE);
    assertThat(kindOf(alice.broadcast("x", utf8("all")))).isEqualTo(SendFailure.Kind.INVALID);
    alice.setGossip(new Gossip() {
      @Override
      public CompletableFuture<Void> broadcast(String protocol, byte[] payload) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void onGossip(Message message, byte[] envelope, byte[] id, int relayHeight) {}
    });
    // peers would disconnect us for a broadcast with a bad name: refused before it leaves
    assertThat(kindOf(alice.broadcast("", utf8("all")))).isEqualTo(SendFailure.Kind.INVALID);
    assertThat(kindOf(alice.broadcast("p".repeat(129), utf8("all"))))
        .isEqualTo(SendFailure.Kind.INVALID);
    assertThat(alice.broadcast("x", utf8("all"))).isCompleted();
    alice.shutdown();
    assertThat(kindOf(alice.sendTo(bobKey.node(), "x", utf8("bye"))))
        .isEqualTo(SendFailure.Kind.SHUTTING_DOWN);
  }

  @Test
  void shutdownFailsWaitingRequests() {
    bob.handleRequests("silent", r -> null);
    CompletableFuture<Message> waiting = alice.request(bobKey.node(), "silent", utf8("?"), 60_000);
    alice.shutdown();
    assertThat(kindOf(waiting)).isEqualTo(SendFailure.Kind.SHUTTING_DOWN);
  }

  private static SendFailure.Kind kindOf(CompletableFuture<?> f) {
    try {
      f.join();
      throw new AssertionError("expected a failure");
    } catch (java.util.concurrent.CompletionException e) {
      return ((SendFailure) e.getCause()).kind();
    }
  }

  private static ProtocolMessage parse(byte[] bytes) {
    try {
      return ProtocolMessage.parseFrom(bytes);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

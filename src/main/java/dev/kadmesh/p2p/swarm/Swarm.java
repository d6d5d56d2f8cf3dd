package dev.kadmesh.p2p.swarm;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.kadmesh.p2p.crypto.KeyFormatException;
import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.net.ClientVersion;
import dev.kadmesh.p2p.net.Net;
import dev.kadmesh.p2p.time.Scheduler;
import dev.kadmesh.p2p.wire.proto.Metadata;
import dev.kadmesh.p2p.wire.proto.ProtocolMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's {@code Service}: wraps payloads in signed-or-authenticated envelopes, finds peers
 * through a {@link PeerFinder}, sends through a {@link Transport}, validates everything that
 * arrives and routes it to request handlers, waiting requests or protocol streams. Thread-safe;
 * nothing here blocks a transport thread.
 */
public final class Swarm implements Service {
  private static final Logger log = LoggerFactory.getLogger(Swarm.class);
  private static final int MAX_PROTOCOL_LENGTH = 128;
  private static final int REQ_ID_LENGTH = 8;

  private final SwarmConfig config;
  private final LocalNode local;
  private final Transport transport;
  private final Scheduler scheduler;
  private final Random random;
  private final SwarmStats stats = new SwarmStats();
  private final ConcurrentHashMap<String, Inbox> streams = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RequestHandler> handlers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ByteString, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final InFlightSends inFlight;
  private final ByteString localIdBytes;
  private final ByteString clientVersionBytes;
  private volatile PeerFinder finder;
  private volatile Gossip gossip;
  private volatile boolean running = true;
  private volatile boolean accepting = true;

  /**
   * @param random source of request ids (seeded in the simulator; need not be cryptographic)
   */
  public Swarm(
      SwarmConfig config, LocalNode local, Transport transport, Scheduler scheduler, Random random) {
    this.config = config;
    this.local = local;
    this.transport = transport;
    this.scheduler = scheduler;
    this.random = random;
    this.inFlight = new InFlightSends(scheduler, config.sendTimeout().toMillis());
    this.localIdBytes = ByteString.copyFrom(local.id().toBytes());
    this.clientVersionBytes = ByteString.copyFromUtf8(config.clientVersion());
    transport.setReceiver(this::receive);
  }

  /** Plugs in peer discovery (the DHT). */
  public void setPeerFinder(PeerFinder finder) {
    this.finder = finder;
  }

  /** Plugs in the broadcast layer. */
  public void setGossip(Gossip gossip) {
    this.gossip = gossip;
  }

  public SwarmConfig config() {
    return config;
  }

  /** Reports every message sent, delivered or rejected to {@code observer} (e.g. metrics). */
  public void observe(SwarmObserver observer) {
    stats.observe(observer);
  }

  public SwarmStats stats() {
    return stats;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public LocalNode local() {
    return local;
  }

  @Override
  public Node localNode() {
    return local.node();
  }

  public boolean isRunning() {
    return running;
  }

  // ---- sending ----

  @Override
  public CompletableFuture<Void> sendMessageAsync(NodeId to, String protocol, byte[] payload) {
    Optional<SendFailure> invalid = check(to, protocol, payload);
    if (invalid.isPresent()) {
      return CompletableFuture.failedFuture(invalid.get());
    }
    if (!accepting) {
      return CompletableFuture.failedFuture(
          new SendFailure(SendFailure.Kind.SHUTTING_DOWN, "node is shutting down"));
    }
    byte[] envelope = envelope(protocol, newReqId(), payload, false, false);
    InFlightSends.Send send = inFlight.start(to);
    if (!running) { // shutdown raced with us: make sure it is failed
      inFlight.finish(send,
          new SendFailure(SendFailure.Kind.SHUTTING_DOWN, "node is shutting down"));
      return send;
    }
    // connected (the common case): resolve completes at once and the write starts right here
    resolve(to).whenComplete((node, error) -> {
      if (error == null) {
        write(to, node, protocol, envelope, send);
      } else {
        inFlight.finish(send, SendFailure.of(error, to));
      }
    });
    return send;
  }

  @Override
  public void sendMessage(NodeId to, String protocol, byte[] payload) {
    if (Net.onTransportThread()) {
      throw new IllegalStateException(
          "sendMessage blocks: call sendMessageAsync from transport callbacks");
    }
    CompletableFuture<Void> f = sendMessageAsync(to, protocol, payload);
    try {
      f.get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(false);
      throw new SendFailure(
          SendFailure.Kind.TIMEOUT,
          "sending to " + to + " took longer than " + config.sendTimeout().toMillis() + " ms");
    } catch (ExecutionException e) {
      throw SendFailure.of(e.getCause(), to);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SendFailure(SendFailure.Kind.SHUTTING_DOWN, "interrupted while sending");
    }
  }

  /** Sends to a node whose address is known, without a lookup. */
  public CompletableFuture<Void> sendTo(Node node, String protocol, byte[] payload) {
    Optional<SendFailure> invalid = check(node.id(), protocol, payload);
    if (invalid.isPresent()) {
      return CompletableFuture.failedFuture(invalid.get());
    }
    return write(node.id(), node, protocol, envelope(protocol, newReqId(), payload, false, false));
  }

  /**
   * Sends a request and completes with the peer's response (same protocol and reqId), or fails
   * with a {@link SendFailure} of kind TIMEOUT after {@code timeoutMillis}.
   */
  public CompletableFuture<Message> request(
      Node peer, String protocol, byte[] payload, long timeoutMillis) {
    Optional<SendFailure> invalid = check(peer.id(), protocol, payload);
    if (invalid.isPresent()) {
      return CompletableFuture.failedFuture(invalid.get());
    }
    if (pendingCount.incrementAndGet() > config.maxPendingRequests()) {
      pendingCount.decrementAndGet();
      return CompletableFuture.failedFuture(
          new SendFailure(SendFailure.Kind.OVERLOADED, "too many requests in flight"));
    }
    byte[] reqId = newReqId();
    ByteString key = ByteString.copyFrom(reqId);
    Pending p = new Pending(peer.id());
    pending.put(key, p);
    p.timer =
        scheduler.schedule(
            () ->
                fail(key, p, new SendFailure(SendFailure.Kind.TIMEOUT,
                    protocol + " request to " + peer.id() + " timed out after " + timeoutMillis
                        + " ms")),
            timeoutMillis);
    write(peer.id(), peer, protocol, envelope(protocol, reqId, payload, false, false))
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                fail(key, p, SendFailure.of(error, peer.id()));
              }
            });
    return p.future;
  }

  /** Sends a request using the configured default timeout. */
  public CompletableFuture<Message> request(Node peer, String protocol, byte[] payload) {
    return request(peer, protocol, payload, config.requestTimeout().toMillis());
  }

  private void fail(ByteString key, Pending p, Throwable error) {
    if (pending.remove(key, p)) {
      pendingCount.decrementAndGet();
      p.timer.cancel();
      p.future.completeExceptionally(error);
    }
  }

  private CompletableFuture<Node> resolve(NodeId to) {
    if (transport.isConnected(to)) {
      return CompletableFuture.completedFuture(null);
    }
    PeerFinder f = finder;
    if (f == null) {
      return CompletableFuture.failedFuture(
          new SendFailure(SendFailure.Kind.NOT_FOUND, "no connection to " + to + " and no DHT"));
    }
    Optional<Node> known = f.findLocal(to);
    if (known.isPresent()) {
      return CompletableFuture.completedFuture(known.get());
    }
    return f.find(to)
        .thenApply(
            found ->
                found.orElseThrow(
                    () ->
                        new SendFailure(
                            SendFailure.Kind.NOT_FOUND, "node " + to + " not found in the network")));
  }

  private CompletableFuture<Void> write(
      NodeId to, Node address, String protocol, byte[] envelope) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    transportSend(to, address, protocol, envelope, (ok, error) -> {
      if (error == null) {
        result.complete(null);
      } else {
        result.completeExceptionally(error);
      }
    });
    return result;
  }

  private void write(
      NodeId to, Node address, String protocol, byte[] envelope, InFlightSends.Send send) {
    transportSend(to, address, protocol, envelope, (ok, error) -> inFlight.finish(send, error));
  }

  /** Hands {@code envelope} to the transport; {@code done} gets null or a SendFailure. */
  private void transportSend(NodeId to, Node address, String protocol, byte[] envelope,
      java.util.function.BiConsumer<Void, SendFailure> done) {
    if (!running) {
      done.accept(null, new SendFailure(SendFailure.Kind.SHUTTING_DOWN, "node is shutting down"));
      return;
    }
    transport
        .send(to, address, envelope)
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                stats.countSent(protocol, envelope.length);
                done.accept(null, null);
              } else {
                done.accept(null, SendFailure.of(error, to));
              }
            });
  }

  private Optional<SendFailure> check(NodeId to, String protocol, byte[] payload) {
    if (!running) {
      return Optional.of(new SendFailure(SendFailure.Kind.SHUTTING_DOWN, "node is shutting down"));
    }
    if (to == null || protocol == null || payload == null) {
      return Optional.of(new SendFailure(SendFailure.Kind.INVALID, "node id, protocol and payload are required"));
    }
    if (to.equals(local.id())) {
      return Optional.of(new SendFailure(SendFailure.Kind.INVALID, "cannot send to ourselves"));
    }
    if (protocol.isEmpty() || protocol.length() > MAX_PROTOCOL_LENGTH) {
      return Optional.of(
          new SendFailure(SendFailure.Kind.INVALID,
              "protocol name must be 1.." + MAX_PROTOCOL_LENGTH + " characters"));
    }
    if (payload.length > config.maxPayload()) {
      return Optional.of(
          new SendFailure(
              SendFailure.Kind.TOO_LARGE,
              "payload of " + payload.length + " bytes exceeds the maximum " + config.maxPayload()));
    }
    return Optional.empty();
  }

  /** Builds and (when required) signs an envelope authored by this node. */
  byte[] envelope(String protocol, byte[] reqId, byte[] payload, boolean gossip, boolean response) {
    Metadata.Builder md =
        Metadata.newBuilder()
            .setProtocol(protocol)
            .setReqId(ByteString.copyFrom(reqId))
            .setClientVersionBytes(clientVersionBytes)
            .setTimestamp(scheduler.nowMillis())
            .setGossip(gossip)
            .setResponse(response)
            .setAuthPubKey(localIdBytes);
    if (gossip || config.signDirectMessages()) {
      Metadata unsigned = md.build();
      md.setAuthorSign(ByteString.copyFrom(Envelope.sign(local.privateKey(), unsigned, payload)));
    }
    // the payload is wrapped, not copied: it is read once, by the encoding right here
    return ProtocolMessage.newBuilder()
        .setMetadata(md)
        .setPayload(UnsafeByteOperations.unsafeWrap(payload))
        .build()
        .toByteArray();
  }

  /** A gossip message authored here: its envelope and its id (the signed digest). */
  public record Authored(byte[] envelope, byte[] id) {}

  /** Builds and signs a gossip message authored by this node; the gossip layer sends it. */
  public Authored gossipEnvelope(String protocol, byte[] payload) {
    checkProtocolName(protocol);
    byte[] envelope = envelope(protocol, newReqId(), payload, true, false);
    try {
      Metadata md = ProtocolMessage.parseFrom(envelope).getMetadata();
      return new Authored(envelope, Envelope.digest(md.toBuilder().clearAuthorSign().build(),
          payload));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an envelope we built does not parse", e);
    }
  }

  /** A neighbour to relay a gossip message to, and the relay height to tell it. */
  public record RelayTarget(Node peer, int height) {}

  /**
   * Writes an already encoded gossip envelope to each target with its relay height; the author's
   * metadata, payload and signature are passed on unchanged. The envelope is decoded once, and
   * encoded once per distinct height.
   */
  public List<CompletableFuture<Void>> relay(byte[] envelope, List<RelayTarget> targets) {
    ProtocolMessage message;
    try {
      message = ProtocolMessage.parseFrom(envelope);
    } catch (InvalidProtocolBufferException e) {
      return List.of(CompletableFuture.failedFuture(
          new SendFailure(SendFailure.Kind.INVALID, "not an envelope")));
    }
    String protocol = message.getMetadata().getProtocol();
    Map<Integer, byte[]> byHeight = new HashMap<>();
    List<CompletableFuture<Void>> sends = new ArrayList<>(targets.size());
    for (RelayTarget t : targets) {
      byte[] bytes = byHeight.computeIfAbsent(t.height(),
          h -> message.toBuilder().setRelayHeight(h).build().toByteArray());
      sends.add(write(t.peer().id(), t.peer(), protocol, bytes));
    }
    return sends;
  }

  private byte[] newReqId() {
    byte[] id = new byte[REQ_ID_LENGTH];
    random.nextBytes(id);
    return id;
  }

  // ---- receiving ----

  private void receive(NodeId sender, Node senderNode, byte[] bytes) {
    stats.countReceived();
    if (!running) {
      stats.countRejected(RejectReason.SHUTTING_DOWN);
      return;
    }
    ProtocolMessage pm;
    try {
      // bytes fields alias the decrypted frame (ours alone) instead of copying it
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.enableAliasing(true);
      pm = ProtocolMessage.parseFrom(in);
    } catch (java.io.IOException e) { // InvalidProtocolBufferException: nothing else reads here
      violation(RejectReason.MALFORMED, sender, "not an envelope");
      return;
    }
    Metadata md = pm.getMetadata();
    byte[] payload = pm.getPayload().toByteArray();
    if (md.getProtocol().isEmpty() || md.getProtocol().length() > MAX_PROTOCOL_LENGTH) {
      violation(RejectReason.MALFORMED, sender, "bad protocol name");
      return;
    }
    if (!md.getClientVersionBytes().equals(clientVersionBytes) // ours: known compatible
        && !ClientVersion.compatible(config.clientVersion(), md.getClientVersion())) {
      reject(RejectReason.VERSION_MISMATCH, sender, md.getClientVersion());
      return;
    }
    long age = scheduler.nowMillis() - md.getTimestamp();
    if (Math.abs(age) > config.messageWindow().toMillis() || age == Long.MIN_VALUE) {
      reject(RejectReason.TIMESTAMP, sender, "authored " + age + " ms ago");
      return;
    }
    boolean signed = !md.getAuthorSign().isEmpty();
    NodeId author;
    if (!md.getGossip()) {
      // a direct message is written by the session's peer: compare bytes, no key decoding
      if (!md.getAuthPubKey().equals(UnsafeByteOperations.unsafeWrap(sender.toBytes()))) {
        violation(RejectReason.AUTHOR_MISMATCH, sender, "direct message authored by another key");
        return;
      }
      author = sender;
    } else {
      try {
        author = NodeId.fromBytes(md.getAuthPubKey().toByteArray());
      } catch (KeyFormatException e) {
        violation(RejectReason.MALFORMED, sender, "bad author key");
        return;
      }
    }
    if (!signed && md.getGossip()) { // every broadcast is signed, and relays check it
      violation(RejectReason.MISSING_SIGNATURE, sender, md.getProtocol());
      return;
    }
    if (!signed && config.signDirectMessages()) { // a setting: the sender may not share it
      reject(RejectReason.MISSING_SIGNATURE, sender, md.getProtocol());
      return;
    }
    byte[] digest = null;
    if (signed) {
      Metadata unsigned = md.toBuilder().clearAuthorSign().build();
      digest = Envelope.digest(unsigned, payload);
      if (!author.publicKey().verify(digest, md.getAuthorSign().toByteArray())) {
        violation(RejectReason.BAD_SIGNATURE, sender, md.getProtocol());
        return;
      }
    }
    if (senderNode != null) {
      PeerFinder f = finder;
      if (f != null) {
        f.seen(senderNode);
      }
    }
    Message message =
        new Message(md.getProtocol(), payload, sender, senderNode, author,
            md.getReqId().toByteArray(), md.getTimestamp(), md.getGossip());
    if (md.getGossip()) {
      Gossip g = gossip;
      if (g == null) {
        reject(RejectReason.GOSSIP_DISABLED, sender, md.getProtocol());
        return;
      }
      g.onGossip(message, bytes, digest, pm.getRelayHeight());
      return;
    }
    if (md.getResponse()) {
      completeRequest(md.getReqId(), message);
      return;
    }
    RequestHandler handler = handlers.get(md.getProtocol());
    if (handler != null) {
      stats.countDelivered(message.protocol(), message.data().length);
      byte[] answer = handler.handle(message);
      if (answer != null) {
        write(sender, senderNode, md.getProtocol(),
            envelope(md.getProtocol(), message.reqId(), answer, false, true))
            .exceptionally(e -> {
              log.debug("response to {} not sent: {}", sender, e.getMessage());
              return null;
            });
      }
      return;
    }
    deliver(message);
  }

  /** Hands a validated message to its protocol's stream (also used by gossip for local delivery). */
  public boolean deliver(Message message) {
    Inbox inbox = streams.get(message.protocol());
    if (inbox == null) {
      stats.countRejected(RejectReason.UNKNOWN_PROTOCOL);
      return false;
    }
    if (!inbox.sink().accept(message)) {
      stats.countRejected(RejectReason.OVERFLOW);
      return false;
    }
    stats.countDelivered(message.protocol(), message.data().length);
    return true;
  }

  private void completeRequest(ByteString reqId, Message response) {
    Pending p = pending.get(reqId);
    if (p == null || !p.peer.equals(response.sender())) {
      reject(RejectReason.UNSOLICITED_RESPONSE, response.sender(), response.protocol());
      return;
    }
    if (pending.remove(reqId, p)) {
      pendingCount.decrementAndGet();
      p.timer.cancel();
      stats.countDelivered(response.protocol(), response.data().length);
      p.future.complete(response);
    }
  }

  /**
   * A message no honest node sends, from the session's peer (a relay passes on only broadcasts it
   * has checked): rejected, and the peer disconnected. Version, timestamp, unknown-protocol and
   * late-response rejections are not violations: clocks, versions and settings differ.
   */
  private void violation(RejectReason reason, NodeId sender, String detail) {
    reject(reason, sender, detail);
    stats.countViolation();
    transport.misbehaved(sender, reason);
  }

  private void reject(RejectReason reason, NodeId sender, String detail) {
    stats.countRejected(reason);
    if (log.isDebugEnabled()) {
      log.debug("rejected message from {}: {} ({})", sender, reason, detail);
    }
  }

  // ---- registration ----

  @Override
  public MessageStream registerProtocol(String protocol) {
    checkProtocolName(protocol);
    MessageStream stream = new MessageStream(protocol, config.inboxCapacity(), null);
    Inbox inbox = new Inbox(stream::offer, stream::close);
    stream.onClose(() -> streams.remove(protocol, inbox));
    register(protocol, inbox);
    return stream;
  }

  /**
   * Hands every validated message of {@code protocol} to {@code sink}, on a transport thread: the
   * sink must not block. A sink that returns false is counted as an overflow. Unregister with
   * {@link #unregisterProtocol(String)}.
   *
   * @throws IllegalArgumentException if the protocol name is empty or too long
   * @throws IllegalStateException if the protocol is already registered
   */
  public void registerProtocol(String protocol, MessageSink sink) {
    checkProtocolName(protocol);
    register(protocol, new Inbox(sink, () -> {}));
  }

  private static void checkProtocolName(String protocol) {
    if (protocol == null || protocol.isEmpty() || protocol.length() > MAX_PROTOCOL_LENGTH) {
      throw new IllegalArgumentException(
          "protocol name must be 1.." + MAX_PROTOCOL_LENGTH + " characters");
    }
  }

  private void register(String protocol, Inbox inbox) {
    if (handlers.containsKey(protocol)) {
      throw new IllegalStateException("protocol '" + protocol + "' is reserved by the node");
    }
    if (streams.putIfAbsent(protocol, inbox) != null) {
      throw new IllegalStateException("protocol '" + protocol + "' is already registered");
    }
  }

  @Override
  public void unregisterProtocol(String protocol) {
    Inbox inbox = streams.remove(protocol);
    if (inbox != null) {
      inbox.close().run();
    }
  }

  /** True when a stream is registered for {@code protocol}. */
  public boolean isRegistered(String protocol) {
    return streams.containsKey(protocol);
  }

  /** Routes requests of {@code protocol} to {@code handler} (node-internal protocols). */
  public void handleRequests(String protocol, RequestHandler handler) {
    if (streams.containsKey(protocol) || handlers.putIfAbsent(protocol, handler) != null) {
      throw new IllegalStateException("protocol '" + protocol + "' is already registered");
    }
  }

  @Override
  public CompletableFuture<Void> broadcast(String protocol, byte[] payload) {
    Gossip g = gossip;
    if (g == null) {
      return CompletableFuture.failedFuture(
          new SendFailure(SendFailure.Kind.INVALID, "gossip is not enabled on this node"));
    }
    if (!running || !accepting) {
      return CompletableFuture.failedFuture(
          new SendFailure(SendFailure.Kind.SHUTTING_DOWN, "node is shutting down"));
    }
    if (protocol == null || payload == null) {
      return CompletableFuture.failedFuture(
          new SendFailure(SendFailure.Kind.INVALID, "protocol and payload are required"));
    }
    if (protocol.isEmpty() || protocol.length() > MAX_PROTOCOL_LENGTH) {
      // peers would take it for a malformed envelope and disconnect us
      return CompletableFuture.failedFuture(new SendFailure(SendFailure.Kind.INVALID,
          "protocol name must be 1.." + MAX_PROTOCOL_LENGTH + " characters"));
    }
    if (payload.length > config.maxPayload()) {
      return CompletableFuture.failedFuture(
          new SendFailure(SendFailure.Kind.TOO_LARGE,
              "payload of " + payload.length + " bytes exceeds the maximum " + config.maxPayload()));
    }
    return g.broadcast(protocol, payload);
  }

  /**
   * The first step of a graceful stop: new sends and broadcasts fail with SHUTTING_DOWN, while
   * sends already in flight go on (with the lookups and connections they need) until they finish
   * or {@code timeout} passes. Messages keep being received. Call {@link #shutdown()} next.
   *
   * @return true if every send in flight finished in time
   */
  public boolean drain(Duration timeout) throws InterruptedException {
    accepting = false;
    CompletableFuture<?>[] sends = inFlight.pending().toArray(new CompletableFuture<?>[0]);
    try {
      CompletableFuture.allOf(sends).handle((ok, e) -> null)
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot happen: failures are handled", e);
    }
  }

  /** Sends started and not yet finished. */
  public int sendsInFlight() {
    return inFlight.size();
  }

  /**
   * Stops accepting and delivering messages and fails every waiting request. The owner closes the
   * transport afterwards, which fails sends still in flight.
   */
  @Override
  public void shutdown() {
    running = false;
    for (InFlightSends.Send send : inFlight.pending()) {
      inFlight.finish(send,
          new SendFailure(SendFailure.Kind.SHUTTING_DOWN, "node is shutting down"));
    }
    for (var e : pending.entrySet()) {
      fail(e.getKey(), e.getValue(),
          new SendFailure(SendFailure.Kind.SHUTTING_DOWN, "node is shutting down"));
    }
    for (String protocol : List.copyOf(streams.keySet())) {
      unregisterProtocol(protocol);
    }
  }

  /** Requests awaiting an answer. */
  public int pendingRequests() {
    return pendingCount.get();
  }

  /** Where a registered protocol's messages go, and what unregistering it does. */
  private record Inbox(MessageSink sink, Runnable close) {}

  private static final class Pending {
    final NodeId peer;
    final CompletableFuture<Message> future = new CompletableFuture<>();
    volatile Scheduler.Cancellable timer = () -> {};

    Pending(NodeId peer) {
      this.peer = peer;
    }
  }

  @Override
  public String toString() {
    return "Swarm[" + local.node() + "]";
  }
}

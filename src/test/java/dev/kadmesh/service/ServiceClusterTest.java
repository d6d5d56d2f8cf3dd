package dev.kadmesh.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.service.api.Subscriptions;
import dev.kadmesh.service.grpc.proto.BroadcastRequest;
import dev.kadmesh.service.grpc.proto.KadmeshNodeGrpc;
import dev.kadmesh.service.grpc.proto.ListProtocolsRequest;
import dev.kadmesh.service.grpc.proto.Message;
import dev.kadmesh.service.grpc.proto.SendRequest;
import dev.kadmesh.service.grpc.proto.SubscribeRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Three whole applications in one JVM, each with its REST and gRPC servers on random loopback
 * ports, joined through B as bootnode. Clients use the real HTTP and gRPC clients.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dirs;
  private TestApp a;
  private TestApp b;
  private TestApp c;

  @BeforeAll
  void startNetwork() {
    b = TestApp.start(dirs.resolve("b"));
    String bootnode = "kadmesh.bootnodes=" + b.node().node();
    a = TestApp.start(dirs.resolve("a"), bootnode, "kadmesh.dht.min-routing-table=1");
    c = TestApp.start(dirs.resolve("c"), bootnode, "kadmesh.dht.min-routing-table=1",
        "kadmesh.api.subscriber-buffer=32");
    for (TestApp app : List.of(a, c)) {
      await().atMost(WAIT).until(() -> app.node().dht().bootstrapped().isDone());
    }
  }

  @AfterAll
  void stopNetwork() {
    for (TestApp app : new TestApp[] {a, b, c}) {
      if (app != null) {
        app.close();
      }
    }
  }

  /** Makes {@code from} forget {@code target}: out of its routing table, no connection. */
  private static void forget(TestApp from, TestApp target) {
    NodeId id = target.node().node().id();
    from.node().dht().table().evict(id);
    from.node().pool().get(id).ifPresent(conn -> conn.close());
    await().atMost(WAIT).until(() -> from.node().pool().get(id).isEmpty()
        && target.node().pool().get(from.node().node().id()).isEmpty());
    from.node().dht().table().evict(id);
    assertThat(from.node().dht().table().find(id)).isEmpty();
  }

  private static KadmeshNodeGrpc.KadmeshNodeBlockingStub blocking(TestApp app) {
    return KadmeshNodeGrpc.newBlockingStub(app.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /** Subscriptions open on {@code app} for {@code protocol}. */
  private static int subscribers(TestApp app, String protocol) {
    return app.context.getBean(Subscriptions.class).protocol(protocol)
        .map(dev.kadmesh.service.api.ProtocolInfo::subscribers).orElse(0);
  }

  /** A gRPC subscription collecting what arrives; {@code initialRequest} 0 means "stuck". */
  private static final class GrpcInbox implements ClientResponseObserver<SubscribeRequest, Message> {
    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    private final int initialRequest;
    volatile ClientCallStreamObserver<SubscribeRequest> call;

    GrpcInbox(int initialRequest) {
      this.initialRequest = initialRequest;
    }

    static GrpcInbox open(TestApp app, String protocol, int initialRequest) {
      return open(app, KadmeshNodeGrpc.newStub(app.channel()), protocol, initialRequest);
    }

    static GrpcInbox open(TestApp app, KadmeshNodeGrpc.KadmeshNodeStub stub, String protocol,
        int initialRequest) {
      GrpcInbox inbox = new GrpcInbox(initialRequest);
      int before = subscribers(app, protocol);
      stub.subscribe(SubscribeRequest.newBuilder().setProtocol(protocol).build(), inbox);
      await().atMost(WAIT).until(() -> subscribers(app, protocol) > before);
      return inbox;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
      this.call = requestStream;
      if (initialRequest >= 0) {
        requestStream.disableAutoRequestWithInitial(initialRequest);
      }
    }

    @Override
    public void onNext(Message value) {
      messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
    }

    @Override
    public void onCompleted() {}

    Message next() throws InterruptedException {
      Message m = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(m).as("a message within " + WAIT).isNotNull();
      return m;
    }

    void cancel() {
      call.cancel("test done", null);
    }
  }

  @Test
  void restSendToANodeTheSenderDoesNotKnowReachesAGrpcSubscriber() throws Exception {
    GrpcInbox inbox = GrpcInbox.open(c, "chat", -1);
    forget(a, c);
    double lookupsBefore = a.metric("kadmesh_lookups_seconds_count{result=\"found\"}");
    double hopsBefore = a.metric("kadmesh_lookup_hops_sum{result=\"found\"}");
    double sentBefore = a.metric("kadmesh_messages_sent_total{protocol=\"chat\"}");

    String payload = Base64.getEncoder().encodeToString("hello C".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = a.post("/api/v1/messages",
        "{\"to\":\"" + c.id() + "\",\"protocol\":\"chat\",\"payload\":\"" + payload + "\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(TestApp.json(r).get("bytes").asInt()).isEqualTo(7);
    Message m = inbox.next();
    assertThat(m.getPayload().toStringUtf8()).isEqualTo("hello C");
    assertThat(m.getSender()).isEqualTo(a.id());
    assertThat(m.getAuthor()).isEqualTo(a.id());
    assertThat(m.getProtocol()).isEqualTo("chat");
    assertThat(m.getBroadcast()).isFalse();
    assertThat(m.getDroppedBefore()).isZero();
    // the send needed a network lookup, and the metrics show it
    assertThat(a.metric("kadmesh_lookups_seconds_count{result=\"found\"}"))
        .isEqualTo(lookupsBefore + 1);
    assertThat(a.metric("kadmesh_lookup_hops_sum{result=\"found\"}")).isGreaterThan(hopsBefore);
    assertThat(a.metric("kadmesh_messages_sent_total{protocol=\"chat\"}"))
        .isEqualTo(sentBefore + 1);
    assertThat(c.metric("kadmesh_messages_received_total{protocol=\"chat\"}")).isGreaterThan(0);
    assertThat(a.metric("kadmesh_handshakes_total{result=\"ok\"}")).isPositive();
    assertThat(a.metric("kadmesh_handshake_duration_seconds_count")).isPositive();
    assertThat(a.metric("kadmesh_connections_active{direction=\"outbound\"}")).isPositive();
    assertThat(a.metric("kadmesh_bytes_out_bytes_total")).isPositive();
    assertThat(a.metric("kadmesh_routing_table_size")).isPositive();
    // exported from the start, at zero among honest peers
    assertThat(a.get("/actuator/prometheus").body())
        .contains("\nkadmesh_peers_penalties_total 0.0\n")
        .contains("\nkadmesh_peers_throttles_total 0.0\n")
        .contains("\nkadmesh_inbound_buffer_waits_total 0.0\n")
        .contains("\nkadmesh_inbound_buffer_reserved_bytes ");
    inbox.cancel();
  }

  @Test
  void grpcSendToANodeTheSenderDoesNotKnowReachesAnSseSubscriber() throws Exception {
    BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    HttpResponse<InputStream> sse = TestApp.HTTP_STREAM.send(
        a.request("/api/v1/events?protocol=mail").header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(sse.statusCode()).isEqualTo(200);
    assertThat(sse.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/event-stream"));
    Thread reader = new Thread(() -> readEvents(sse.body(), events));
    reader.setDaemon(true);
    reader.start();
    await().atMost(WAIT).until(() -> subscribers(a, "mail") == 1);
    forget(c, a);

    blocking(c).send(SendRequest.newBuilder().setTo(a.id()).setProtocol("mail")
        .setPayload(ByteString.copyFromUtf8("hello A")).build());

    JsonNode event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(event).isNotNull();
    assertThat(new String(Base64.getDecoder().decode(event.get("payload").asString()),
        StandardCharsets.UTF_8)).isEqualTo("hello A");
    assertThat(event.get("sender").asString()).isEqualTo(c.id());
    assertThat(event.get("protocol").asString()).isEqualTo("mail");
    assertThat(event.get("broadcast").asBoolean()).isFalse();
    sse.body().close();
  }

  private static void readEvents(InputStream in, BlockingQueue<JsonNode> events) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String event = null;
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:") && "message".equals(event)) {
          events.add(TestApp.JSON.readTree(line.substring(5)));
        }
      }
    } catch (java.io.IOException e) {
      // stream closed by the test
    }
  }

  @Test
  void aBroadcastReachesTheSubscribersOfEveryNode() throws Exception {
    List<GrpcInbox> inboxes = new ArrayList<>();
    for (TestApp app : List.of(a, b, c)) {
      inboxes.add(GrpcInbox.open(app, "news", -1));
    }
    String payload = Base64.getEncoder().encodeToString("extra".getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> r =
        b.post("/api/v1/broadcasts", "{\"protocol\":\"news\",\"payload\":\"" + payload + "\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    for (GrpcInbox inbox : inboxes) {
      Message m = inbox.next();
      assertThat(m.getPayload().toStringUtf8()).isEqualTo("extra");
      assertThat(m.getAuthor()).isEqualTo(b.id());
      assertThat(m.getBroadcast()).isTrue();
      assertThat(inbox.messages.poll(200, TimeUnit.MILLISECONDS)).as("delivered once").isNull();
      inbox.cancel();
    }
  }

  @Test
  void aBroadcastThroughGrpcReachesTheOtherNodes() throws Exception {
    GrpcInbox atA = GrpcInbox.open(a, "alerts", -1);
    GrpcInbox atB = GrpcInbox.open(b, "alerts", -1);

    blocking(c).broadcast(BroadcastRequest.newBuilder().setProtocol("alerts")
        .setPayload(ByteString.copyFromUtf8("fire")).build());

    assertThat(atA.next().getAuthor()).isEqualTo(c.id());
    assertThat(atB.next().getPayload().toStringUtf8()).isEqualTo("fire");
    atA.cancel();
    atB.cancel();
  }

  @Test
  void aSubscriberThatStopsReadingDoesNotSlowTheOthersAndIsToldWhatItLost() throws Exception {
    GrpcInbox fast = GrpcInbox.open(c, "bulk", -1);
    // its own connection: an HTTP/2 connection's flow-control window is shared by its streams
    io.grpc.ManagedChannel stuckChannel = io.grpc.ManagedChannelBuilder
        .forAddress("127.0.0.1", c.grpcPort).usePlaintext().build();
    GrpcInbox stuck = GrpcInbox.open(c, KadmeshNodeGrpc.newStub(stuckChannel), "bulk", 0);
    double overflowsBefore = c.metric("kadmesh_subscribers_overflows_total");
    NodeId target = c.node().node().id();
    int count = 300;
    byte[] filler = new byte[16 * 1024]; // 300 of these are more than the stuck client's
                                         // transport window (1 MiB) and buffer (32) can hold

    // in batches the fast subscriber keeps up with: it must never lose a message
    for (int i = 0; i < count; i++) {
      byte[] payload = filler.clone();
      payload[0] = (byte) (i >> 8);
      payload[1] = (byte) i;
      a.node().swarm().sendMessageAsync(target, "bulk", payload).get(30, TimeUnit.SECONDS);
      if (i % 20 == 19) {
        int sent = i + 1;
        await().atMost(WAIT).until(() -> fast.messages.size() >= sent);
      }
    }

    for (int i = 0; i < count; i++) {
      Message m = fast.next();
      int seq = ((m.getPayload().byteAt(0) & 0xff) << 8) | (m.getPayload().byteAt(1) & 0xff);
      assertThat(seq).as("in order").isEqualTo(i);
      assertThat(m.getDroppedBefore()).isZero();
    }
    await().atMost(WAIT).until(() ->
        blocking(c).listProtocols(ListProtocolsRequest.getDefaultInstance()).getProtocolsList()
            .stream().anyMatch(p -> p.getProtocol().equals("bulk") && p.getDropped() > 0));
    assertThat(c.metric("kadmesh_subscribers_overflows_total")).isGreaterThan(overflowsBefore);

    // once it reads again it gets what its buffer kept, and the next message says what it lost
    stuck.call.request(Integer.MAX_VALUE);
    await().atMost(WAIT).until(() ->
        blocking(c).listProtocols(ListProtocolsRequest.getDefaultInstance()).getProtocolsList()
            .stream().anyMatch(p -> p.getProtocol().equals("bulk") && p.getBuffered() == 0));
    a.node().swarm().sendMessageAsync(target, "bulk", new byte[] {(byte) 0xff, (byte) 0xff})
        .get(30, TimeUnit.SECONDS);
    long toldDropped = 0;
    int received = 0;
    while (true) {
      Message m = stuck.next();
      received++;
      toldDropped += m.getDroppedBefore();
      if (m.getPayload().size() == 2) {
        break;
      }
    }
    assertThat(toldDropped).isPositive();
    assertThat(received + toldDropped).isEqualTo(count + 1);
    fast.cancel();
    stuck.cancel();
    stuckChannel.shutdownNow();
  }

  @Test
  void aCancelledStreamFreesItsSubscriptionAtOnce() {
    GrpcInbox inbox = GrpcInbox.open(c, "short-lived", -1);
    assertThat(subscribers(c, "short-lived")).isEqualTo(1);

    inbox.cancel();

    await().atMost(WAIT).until(() -> subscribers(c, "short-lived") == 0);
  }
}

package dev.kadmesh.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.service.grpc.proto.GetNodeRequest;
import dev.kadmesh.service.grpc.proto.KadmeshNodeGrpc;
import dev.kadmesh.service.grpc.proto.LookupRequest;
import dev.kadmesh.service.grpc.proto.SendRequest;
import dev.kadmesh.service.grpc.proto.SubscribeRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every error of the REST and gRPC APIs: the exact status, and for REST the RFC 7807 body. The
 * node has a token (so 401 can be shown), a small message limit (so 413 is cheap) and a short
 * request timeout (so 504 is quick).
 */
class ApiErrorsTest {
  private static final String TOKEN = "s3cret-token-for-tests";
  private static final int MAX_MESSAGE = 16 * 1024;

  @TempDir static Path dataDir;
  static TestApp app;
  static String unknownId;

  @BeforeAll
  static void start() {
    app = TestApp.start(dataDir, "kadmesh.api.token=" + TOKEN,
        "kadmesh.p2p.max-message-size=" + MAX_MESSAGE + "B", "kadmesh.api.request-timeout=1s",
        "kadmesh.api.max-subscribers=3");
    unknownId = LocalNode.generate("127.0.0.1", 1, new SecureRandom()).id().toBase58();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static JsonNode problem(HttpResponse<String> r, int status, String type) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode p = TestApp.json(r);
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("type").asString()).isEqualTo("urn:kadmesh:problem:" + type);
    assertThat(p.get("title").asString()).isNotBlank();
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    return p;
  }

  private static String send(String to, String protocol, String payload) {
    return "{\"to\":\"" + to + "\",\"protocol\":\"" + protocol + "\",\"payload\":\"" + payload
        + "\"}";
  }

  private static String b64(int bytes) {
    return Base64.getEncoder().encodeToString(new byte[bytes]);
  }

  // ---- REST ----

  @Test
  void withoutTheTokenTheApiAnswers401AndHealthStaysOpen() {
    HttpResponse<String> none = TestApp.send(HttpRequest.newBuilder(app.uri("/api/v1/node"))
        .GET().build());
    JsonNode p = problem(none, 401, "unauthenticated");
    assertThat(p.get("detail").asString()).contains("kadmesh.api.token");
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        v -> assertThat(v).startsWith("Bearer"));

    HttpResponse<String> wrong = TestApp.send(HttpRequest.newBuilder(app.uri("/api/v1/node"))
        .header("Authorization", "Bearer " + TOKEN + "x").GET().build());
    problem(wrong, 401, "unauthenticated");

    HttpResponse<String> health = TestApp.send(
        HttpRequest.newBuilder(app.uri("/actuator/health")).GET().build());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(app.get("/api/v1/node").statusCode()).isEqualTo(200);
  }

  @Test
  void aMalformedNodeIdIs400() {
    JsonNode p = problem(app.post("/api/v1/messages", send("abc0", "x", b64(1))), 400,
        "invalid-argument");
    assertThat(p.get("detail").asString())
        .isEqualTo("to is not a node id: invalid base58 character '0' at position 3");
    problem(app.get("/api/v1/nodes/not-an-id"), 400, "invalid-argument");
  }

  @Test
  void malformedBase64Is400() {
    JsonNode p = problem(app.post("/api/v1/messages", send(unknownId, "x", "**not base64**")),
        400, "invalid-argument");
    assertThat(p.get("detail").asString()).startsWith("payload is not valid base64");
    problem(app.post("/api/v1/broadcasts", "{\"protocol\":\"x\",\"payload\":\"%%\"}"), 400,
        "invalid-argument");
  }

  @Test
  void missingFieldsAndBadJsonAre400() {
    JsonNode p = problem(app.post("/api/v1/messages", "{\"to\":\"" + unknownId
        + "\",\"payload\":\"\"}"), 400, "invalid-argument");
    assertThat(p.get("detail").asString()).isEqualTo("protocol is required");
    HttpResponse<String> bad = app.post("/api/v1/messages", "{not json");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(TestApp.json(bad).get("detail").asString())
        .isEqualTo("the request body is not valid JSON for this operation");
    problem(app.post("/api/v1/protocols", "{\"protocol\":\"has space\"}"), 400,
        "invalid-argument");
  }

  @Test
  void anUnknownPeerIs404() {
    JsonNode p = problem(app.post("/api/v1/messages", send(unknownId, "x", b64(3))), 404,
        "not-found");
    assertThat(p.get("detail").asString()).contains(unknownId).contains("not found");
    problem(app.get("/api/v1/nodes/" + unknownId), 404, "not-found");
    problem(app.delete("/api/v1/protocols?protocol=never-registered"), 404, "not-found");
  }

  @Test
  void aPayloadAboveTheLimitIs413() {
    int max = MAX_MESSAGE - dev.kadmesh.p2p.swarm.SwarmConfig.ENVELOPE_OVERHEAD;
    JsonNode p = problem(app.post("/api/v1/messages", send(unknownId, "x", b64(max + 1))), 413,
        "payload-too-large");
    assertThat(p.get("detail").asString())
        .isEqualTo("payload of " + (max + 1) + " bytes exceeds the maximum of " + max + " bytes");
    problem(app.post("/api/v1/broadcasts", "{\"protocol\":\"x\",\"payload\":\"" + b64(max + 1)
        + "\"}"), 413, "payload-too-large");
    // a body far beyond any valid request is refused before it is read
    problem(app.post("/api/v1/messages", send(unknownId, "x", b64(200_000))), 413,
        "payload-too-large");
    // also when it comes chunked, without a length: reading stops at the limit
    byte[] big = send(unknownId, "x", b64(200_000)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<String> chunked = TestApp.send(app.request("/api/v1/messages")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(big)))
        .build());
    problem(chunked, 413, "payload-too-large");
  }

  /**
   * Runs {@code test} while the routing table holds a peer that accepts TCP (backlog) but never
   * speaks, so that a handshake with it can only time out.
   */
  private static void withSilentPeer(java.util.function.Consumer<Node> test) throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      Node dead = LocalNode.generate("127.0.0.1", silent.getLocalPort(), new SecureRandom())
          .node();
      app.node().dht().seen(dead);
      try {
        test.accept(dead);
      } finally {
        app.node().dht().table().evict(dead.id());
      }
    }
  }

  @Test
  void aLookupOrSendThatTakesTooLongIs504() throws Exception {
    withSilentPeer(dead -> {
      JsonNode p = problem(app.get("/api/v1/nodes/" + unknownId), 504, "timeout");
      assertThat(p.get("detail").asString()).contains("took longer than 1000 ms");
      problem(app.post("/api/v1/messages", send(dead.id().toBase58(), "x", b64(1))), 504,
          "timeout");
    });
  }

  @Test
  void aCallersShorterDeadlineEndsTheWaitEarly() throws Exception {
    dev.kadmesh.service.api.NodeApi api =
        app.context.getBean(dev.kadmesh.service.api.NodeApi.class);
    withSilentPeer(dead -> {
      assertThatThrownBy(() -> api.lookup(unknownId, java.time.Duration.ofMillis(200)))
          .hasMessageContaining("took longer than 200 ms (the caller's deadline)");
      // a longer one than the request timeout does not extend it
      assertThatThrownBy(() -> api.send(dead.id().toBase58(), "x", new byte[1],
          java.time.Duration.ofMinutes(5)))
          .hasMessageContaining("took longer than 1000 ms")
          .hasMessageNotContaining("caller");
    });
  }

  @Test
  void anUnreachablePeerIs502() throws Exception {
    try (Socket holder = new Socket()) {
      holder.bind(new InetSocketAddress("127.0.0.1", 0)); // bound, not listening: port closed
      Node closed = LocalNode.generate("127.0.0.1", holder.getLocalPort(), new SecureRandom())
          .node();
      app.node().dht().seen(closed);
      try {
        problem(app.post("/api/v1/messages", send(closed.id().toBase58(), "x", b64(1))), 502,
            "unreachable");
      } finally {
        app.node().dht().table().evict(closed.id());
      }
    }
  }

  @Test
  void springsOwnErrorsAreProblemsToo() {
    HttpResponse<String> method = TestApp.send(app.request("/api/v1/messages").GET().build());
    assertThat(method.statusCode()).isEqualTo(405);
    assertThat(method.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    HttpResponse<String> media = TestApp.send(app.request("/api/v1/messages")
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x"))
        .build());
    assertThat(media.statusCode()).isEqualTo(415);
    HttpResponse<String> path = app.get("/api/v1/nope");
    assertThat(path.statusCode()).isEqualTo(404);
    assertThat(path.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  // ---- protocols ----

  @Test
  void registeringIsIdempotentAndUnregisteringEndsSubscriptions() {
    HttpResponse<String> created = app.post("/api/v1/protocols", "{\"protocol\":\"temp/1\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(TestApp.json(created).get("protocol").asString()).isEqualTo("temp/1");
    assertThat(app.post("/api/v1/protocols", "{\"protocol\":\"temp/1\"}").statusCode())
        .isEqualTo(200);
    assertThat(app.get("/api/v1/protocols").body()).contains("\"protocol\":\"temp/1\"");
    var stream = grpc().subscribe(SubscribeRequest.newBuilder().setProtocol("temp/1").build());
    org.awaitility.Awaitility.await().until(() ->
        app.get("/api/v1/protocols").body().contains("\"subscribers\":1"));

    assertThat(app.delete("/api/v1/protocols?protocol=temp/1").statusCode()).isEqualTo(204);

    assertStatus(stream::hasNext, Status.Code.NOT_FOUND, "protocol 'temp/1' was unregistered");
    problem(app.delete("/api/v1/protocols?protocol=temp/1"), 404, "not-found");
  }

  @Test
  void theNodesOwnProtocolsCannotBeTaken() {
    JsonNode p = problem(app.post("/api/v1/protocols", "{\"protocol\":\"dht/findnode\"}"), 400,
        "invalid-argument");
    assertThat(p.get("detail").asString()).contains("used by the node itself");
  }

  @Test
  void subscriptionsBeyondTheLimitAreRefused() {
    var calls = new java.util.ArrayList<io.grpc.Context.CancellableContext>();
    try {
      for (int i = 0; i < 3; i++) {
        io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
        calls.add(ctx);
        ctx.run(() -> KadmeshNodeGrpc.newStub(app.channel()).subscribe(
            SubscribeRequest.newBuilder().setProtocol("many").build(),
            new io.grpc.stub.StreamObserver<>() {
              public void onNext(dev.kadmesh.service.grpc.proto.Message m) {}
              public void onError(Throwable t) {}
              public void onCompleted() {}
            }));
      }
      org.awaitility.Awaitility.await().until(() ->
          app.context.getBean(dev.kadmesh.service.api.Subscriptions.class).subscriberCount() == 3);
      assertStatus(() -> grpc().subscribe(SubscribeRequest.newBuilder().setProtocol("many")
          .build()).hasNext(), Status.Code.RESOURCE_EXHAUSTED, "kadmesh.api.max-subscribers");
      JsonNode p = problem(app.get("/api/v1/events?protocol=many"), 503, "overloaded");
      assertThat(p.get("detail").asString()).contains("at most 3 subscriptions");
    } finally {
      calls.forEach(c -> c.cancel(null));
      org.awaitility.Awaitility.await().until(() ->
          app.context.getBean(dev.kadmesh.service.api.Subscriptions.class).subscriberCount() == 0);
    }
  }

  // ---- gRPC ----

  private static KadmeshNodeGrpc.KadmeshNodeBlockingStub grpc() {
    return KadmeshNodeGrpc.newBlockingStub(app.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static void assertStatus(Runnable call, Status.Code code, String description) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(e.getStatus().getDescription()).contains(description);
        });
  }

  private static SendRequest grpcSend(String to, int bytes) {
    return SendRequest.newBuilder().setTo(to).setProtocol("x")
        .setPayload(ByteString.copyFrom(new byte[bytes])).build();
  }

  @Test
  void grpcStatusCodesMatchTheRestErrors() throws Exception {
    assertStatus(() -> grpc().send(grpcSend("abc0", 1)), Status.Code.INVALID_ARGUMENT,
        "to is not a node id");
    assertStatus(() -> grpc().send(grpcSend(unknownId, 1)), Status.Code.NOT_FOUND,
        "not found in the network");
    int max = MAX_MESSAGE - dev.kadmesh.p2p.swarm.SwarmConfig.ENVELOPE_OVERHEAD;
    assertStatus(() -> grpc().send(grpcSend(unknownId, max + 1)), Status.Code.RESOURCE_EXHAUSTED,
        "exceeds the maximum");
    assertStatus(() -> grpc().subscribe(SubscribeRequest.getDefaultInstance()).hasNext(),
        Status.Code.INVALID_ARGUMENT, "protocol is required");
    withSilentPeer(dead ->
        assertStatus(() -> grpc().lookup(LookupRequest.newBuilder().setId(unknownId).build()),
            Status.Code.DEADLINE_EXCEEDED, "took longer than 1000 ms"));
  }

  @Test
  void grpcWithoutTheTokenIsUnauthenticatedButHealthIsOpen() {
    ManagedChannel plain =
        ManagedChannelBuilder.forAddress("127.0.0.1", app.grpcPort).usePlaintext().build();
    try {
      assertStatus(() -> KadmeshNodeGrpc.newBlockingStub(plain)
              .withDeadlineAfter(30, TimeUnit.SECONDS).getNode(GetNodeRequest.getDefaultInstance()),
          Status.Code.UNAUTHENTICATED, "kadmesh.api.token");
      HealthCheckResponse health = HealthGrpc.newBlockingStub(plain)
          .withDeadlineAfter(30, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
      assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      assertThat(grpc().getNode(GetNodeRequest.getDefaultInstance()).getId())
          .isEqualTo(app.id());
      assertThat(listServices(plain)).contains("kadmesh.api.v1.KadmeshNode",
          "grpc.health.v1.Health");
    } finally {
      plain.shutdownNow();
    }
  }

  /** The services a stock tool (grpcurl list) sees through server reflection. */
  private static java.util.List<String> listServices(ManagedChannel channel) {
    var responses = new java.util.concurrent.LinkedBlockingQueue<
        io.grpc.reflection.v1.ServerReflectionResponse>();
    var requests = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel)
        .serverReflectionInfo(new io.grpc.stub.StreamObserver<>() {
          public void onNext(io.grpc.reflection.v1.ServerReflectionResponse r) {
            responses.add(r);
          }

          public void onError(Throwable t) {}

          public void onCompleted() {}
        });
    requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder()
        .setListServices("").build());
    try {
      var response = responses.poll(30, TimeUnit.SECONDS);
      assertThat(response).isNotNull();
      return response.getListServicesResponse().getServiceList().stream()
          .map(io.grpc.reflection.v1.ServiceResponse::getName).toList();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      requests.onCompleted();
    }
  }
}

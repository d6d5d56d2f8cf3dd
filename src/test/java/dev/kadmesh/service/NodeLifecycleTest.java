package dev.kadmesh.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.node.P2PNode;
import dev.kadmesh.p2p.timesync.ClockDriftCheck;
import dev.kadmesh.p2p.timesync.SntpResponder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** Starting and restarting the whole application. */
class NodeLifecycleTest {
  @TempDir Path dataDir;

  /** Starts the app; each {@code key=value} in {@code overrides} replaces the test default. */
  private ConfigurableApplicationContext start(String... overrides) {
    return TestApp.start(dataDir, overrides).context;
  }

  @Test
  void restartKeepsTheSameIdentity() {
    NodeId first;
    try (ConfigurableApplicationContext app = start()) {
      first = app.getBean(P2PNode.class).node().id();
    }
    try (ConfigurableApplicationContext app = start()) {
      assertThat(app.getBean(P2PNode.class).node().id()).isEqualTo(first);
    }
  }

  @Test
  void shutdownStopsTheListenerAndReleasesThePort() throws Exception {
    P2PNode node;
    int port;
    try (ConfigurableApplicationContext app = start()) {
      node = app.getBean(P2PNode.class);
      port = node.net().listenAddress().getPort();
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        assertThat(s.isConnected()).isTrue();
      }
    }
    assertThat(node.isRunning()).isFalse();
    assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
        .isInstanceOf(java.net.ConnectException.class);
  }

  @Test
  void anUnreachableBootnodeDoesNotDelayStartup() throws Exception {
    try (java.net.Socket holder = new java.net.Socket()) {
      // a bound, non-listening socket: the port stays closed for the whole test
      holder.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
      String bootnode = "127.0.0.1:" + holder.getLocalPort() + "/"
          + LocalNode.generate("127.0.0.1", 1, new java.security.SecureRandom()).id();
      assertStartsWithoutWaitingFor(bootnode);
    }
  }

  private void assertStartsWithoutWaitingFor(String bootnode) {
    try (ConfigurableApplicationContext app = start("kadmesh.bootnodes=" + bootnode)) {
      P2PNode node = app.getBean(P2PNode.class);
      assertThat(node.isRunning()).isTrue();
      assertThat(node.dht().bootstrapStatus().state().name()).isEqualTo("RUNNING");
      assertThat(node.dht().bootstrapped()).isNotDone();
      // alive, but not ready until bootstrap reaches its minimum
      int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
      var health = TestApp.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build());
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("\"bootstrap\"").contains("OUT_OF_SERVICE");
      var liveness = TestApp.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness")).build());
      assertThat(liveness.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aCorruptKeyFileStopsStartupWithAClearErrorAndIsKept() throws Exception {
    Path keyFile = LocalNode.keyFile(dataDir);
    Files.writeString(keyFile, "not a key");
    assertThatThrownBy(this::start)
        .rootCause()
        .hasMessageContaining(keyFile.toString())
        .hasMessageContaining("corrupt");
    assertThat(Files.readString(keyFile)).isEqualTo("not a key");
  }

  @Test
  void aClockFarFromTheTimeServersStopsStartupWhenConfiguredTo() throws Exception {
    try (SntpResponder aheadByAnHour = new SntpResponder(3_600_000, true)) {
      String server = "127.0.0.1:" + aheadByAnHour.address().getPort();
      assertThatThrownBy(() -> start("kadmesh.timesync.servers=" + server,
              "kadmesh.timesync.on-drift=STOP"))
          .rootCause()
          .hasMessageContaining("clock drift")
          .hasMessageContaining("kadmesh.timesync.max-drift");
      // the default only warns
      try (ConfigurableApplicationContext app = start("kadmesh.timesync.servers=" + server)) {
        assertThat(app.getBean(ClockDriftCheck.Result.class).withinLimit()).isFalse();
        assertThat(app.getBean(P2PNode.class).isRunning()).isTrue();
      }
    }
  }

  @Test
  void anInvalidPropertyStopsStartupNamingTheProperty() {
    assertThatThrownBy(() -> start("kadmesh.p2p.port=70000"))
        .rootCause()
        .hasMessageContaining("kadmesh.p2p.port must be in 0..65535, got '70000'");
    assertThatThrownBy(() -> start("kadmesh.p2p.max-inbound=900"))
        .rootCause()
        .hasMessageContaining("kadmesh.p2p.max-inbound");
    assertThatThrownBy(() -> start("kadmesh.bootnodes=127.0.0.1:7513/notakey0"))
        .rootCause()
        .hasMessageContaining("kadmesh.bootnodes[0]")
        .hasMessageContaining("invalid base58 character '0'");
    assertThatThrownBy(() -> start("kadmesh.dht.bucket-size=0"))
        .rootCause()
        .hasMessageContaining("kadmesh.dht.bucket-size must be at least 1");
    assertThatThrownBy(() -> start("kadmesh.dht.rpc-timeout=-1s"))
        .rootCause()
        .hasMessageContaining("kadmesh.dht.rpc-timeout must be a positive duration");
    assertThatThrownBy(() -> start("kadmesh.p2p.max-inbound-per-address=0"))
        .rootCause()
        .hasMessageContaining("kadmesh.p2p.max-inbound-per-address must be at least 1");
    assertThatThrownBy(() -> start("kadmesh.p2p.penalty-base=5m", "kadmesh.p2p.penalty-max=1m"))
        .rootCause()
        .hasMessageContaining("kadmesh.p2p.penalty-max must be at least kadmesh.p2p.penalty-base");
    assertThatThrownBy(() -> start("kadmesh.p2p.peer-messages-per-second=-1"))
        .rootCause()
        .hasMessageContaining("kadmesh.p2p.peer-messages-per-second must not be negative");
    assertThatThrownBy(() -> start("kadmesh.p2p.inbound-buffer-budget=-1B"))
        .rootCause()
        .hasMessageContaining("kadmesh.p2p.inbound-buffer-budget must not be negative");
    assertThatThrownBy(() -> start("kadmesh.p2p.limit-exempt-networks=10.0.0.0/8,lb.local"))
        .rootCause()
        .hasMessageContaining("kadmesh.p2p.limit-exempt-networks[1] must be an IP address or a "
            + "CIDR block such as 10.0.0.0/8");
    assertThatThrownBy(() -> start("kadmesh.p2p.ipv6-group-prefix=0"))
        .rootCause()
        .hasMessageContaining("kadmesh.p2p.ipv6-group-prefix must be in 1..128");
    assertThatThrownBy(() -> start("kadmesh.timesync.servers=127.0.0.1:99999"))
        .rootCause()
        .hasMessageContaining("kadmesh.timesync.servers[0] must be host or host:port");
  }

  @Test
  void thePeerLimitsReachTheTransport() {
    try (ConfigurableApplicationContext app = start("kadmesh.p2p.max-inbound-per-address=7",
        "kadmesh.p2p.penalty-base=0s", "kadmesh.p2p.peer-messages-per-second=123",
        "kadmesh.p2p.peer-bytes-per-second=2MB", "kadmesh.p2p.frame-timeout=7s",
        "kadmesh.p2p.inbound-buffer-budget=10MB",
        "kadmesh.p2p.limit-exempt-networks=10.0.0.0/8, fd00::/8",
        "kadmesh.p2p.ipv6-group-prefix=56", "kadmesh.p2p.frame-min-rate=4KB")) {
      dev.kadmesh.p2p.net.NetLimits limits =
          app.getBean(P2PNode.class).net().config().limits();
      assertThat(limits.maxInboundPerAddress()).isEqualTo(7);
      assertThat(limits.penaltyBase()).isZero();
      assertThat(limits.messagesPerSecond()).isEqualTo(123);
      assertThat(limits.bytesPerSecond()).isEqualTo(2L * 1024 * 1024);
      assertThat(limits.frameTimeout()).hasSeconds(7);
      assertThat(limits.inboundBufferBytes()).isEqualTo(10L * 1024 * 1024);
      assertThat(limits.exempt()).containsExactly(
          dev.kadmesh.p2p.net.AddressRange.parse("10.0.0.0/8"),
          dev.kadmesh.p2p.net.AddressRange.parse("fd00::/8"));
      assertThat(limits.ipv6GroupPrefix()).isEqualTo(56);
      assertThat(limits.frameMinRate()).isEqualTo(4096);
      assertThat(limits.frameDeadlineNanos(8192)).isEqualTo(9_000_000_000L); // 7 s + 2 s
    }
  }

  @Test
  void withoutATokenTheServersDefaultToLoopback() {
    try (TestApp app = TestApp.start(dataDir)) {
      var web = ((org.springframework.boot.web.server.context.WebServerApplicationContext)
          app.context).getWebServer();
      assertThat(app.context.getEnvironment().getProperty("server.address"))
          .isEqualTo("127.0.0.1");
      assertThat(app.grpcAddress).contains("127.0.0.1");
      assertThat(web.getPort()).isEqualTo(app.httpPort);
    }
  }

  @Test
  void anApiWithoutATokenMustStayOnLoopback() {
    assertThatThrownBy(() -> start("server.address=0.0.0.0"))
        .rootCause()
        .hasMessageContaining("kadmesh.api.token must be set")
        .hasMessageContaining("server.address is not a loopback address, got '0.0.0.0'");
    assertThatThrownBy(() -> start("spring.grpc.server.address=0.0.0.0"))
        .rootCause()
        .hasMessageContaining("spring.grpc.server.address is not a loopback address");
    assertThatThrownBy(() -> start("kadmesh.api.token=short"))
        .rootCause()
        .hasMessageContaining("kadmesh.api.token must be at least 16 characters");
    assertThatThrownBy(() -> start("kadmesh.api.max-subscribers=0"))
        .rootCause()
        .hasMessageContaining("kadmesh.api.max-subscribers must be at least 1");
    assertThatThrownBy(() -> start("kadmesh.shutdown-timeout=-1s"))
        .rootCause()
        .hasMessageContaining("kadmesh.shutdown-timeout must be a positive duration");
  }

  @Test
  void shutdownEndsSubscriptionsAndFailsSendsStillInFlightWithinTheTimeout() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      TestApp app = TestApp.start(dataDir, "kadmesh.shutdown-timeout=1s");
      P2PNode node = app.node();
      // a peer that accepts TCP and never answers: a send to it stays in flight for 5 s
      dev.kadmesh.p2p.identity.Node dead = LocalNode.generate("127.0.0.1", silent.getLocalPort(),
          new java.security.SecureRandom()).node();
      node.dht().seen(dead);
      java.util.concurrent.CompletableFuture<Void> send =
          node.swarm().sendMessageAsync(dead.id(), "x", new byte[1]);
      var stream = dev.kadmesh.service.grpc.proto.KadmeshNodeGrpc.newBlockingStub(app.channel())
          .subscribe(dev.kadmesh.service.grpc.proto.SubscribeRequest.newBuilder()
              .setProtocol("x").build());
      var subs = app.context.getBean(dev.kadmesh.service.api.Subscriptions.class);
      org.awaitility.Awaitility.await().until(() -> subs.subscriberCount() == 1);

      long start = System.nanoTime();
      app.context.close();
      long tookMillis = (System.nanoTime() - start) / 1_000_000;

      assertThat(node.isRunning()).isFalse();
      assertThat(send).isCompletedExceptionally();
      assertThatThrownBy(send::join).hasCauseInstanceOf(dev.kadmesh.p2p.swarm.SendFailure.class)
          .hasMessageContaining("shutting down");
      assertThatThrownBy(stream::hasNext)
          .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class, e -> assertThat(
              e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
      // three phases of at most 1 s each (gRPC, HTTP, node), not the servers' 30 s default
      assertThat(tookMillis).isLessThan(8_000);
      app.close();
    }
  }
}

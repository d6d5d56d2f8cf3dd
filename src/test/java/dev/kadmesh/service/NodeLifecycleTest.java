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
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starting and restarting the whole application. */
class NodeLifecycleTest {
  @TempDir Path dataDir;

  /** Starts the app; each {@code key=value} in {@code overrides} replaces the test default. */
  private ConfigurableApplicationContext start(String... overrides) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("server.port", "0");
    props.put("kadmesh.p2p.host", "127.0.0.1");
    props.put("kadmesh.p2p.port", "0");
    props.put("kadmesh.data-dir", dataDir.toString());
    props.put("spring.main.banner-mode", "off");
    for (String o : overrides) {
      int eq = o.indexOf('=');
      props.put(o.substring(0, eq), o.substring(eq + 1));
    }
    String[] args =
        props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new SpringApplicationBuilder(KadmeshApplication.class).run(args);
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
  }
}

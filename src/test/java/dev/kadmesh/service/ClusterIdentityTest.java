package dev.kadmesh.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kadmesh.p2p.identity.ClusterKeys;
import dev.kadmesh.p2p.identity.LocalNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes of one deployment (as the Helm chart runs them): keys derived from a shared secret and
 * the ordinal, bootnodes given by address alone.
 */
class ClusterIdentityTest {
  private static final String SECRET = "test-cluster-secret-0123456789abcdef";

  @TempDir Path dirs;

  private TestApp start(int ordinal, String bootnode0, String bootnode1) {
    return TestApp.start(dirs.resolve("node-" + ordinal),
        "kadmesh.cluster.secret=" + SECRET,
        "kadmesh.cluster.ordinal=kadmesh-" + ordinal,
        "kadmesh.cluster.bootnodes[0]=" + bootnode0,
        "kadmesh.cluster.bootnodes[1]=" + bootnode1,
        "kadmesh.dht.min-routing-table=1");
  }

  private static String address(TestApp app) {
    return "127.0.0.1:" + app.node().net().listenAddress().getPort();
  }

  @Test
  void nodesJoinThroughBootnodesNamedByAddressAlone() {
    ClusterKeys keys = new ClusterKeys(SECRET);
    // node 0 skips its own entry, so its address need not be known before it starts
    try (TestApp n0 = start(0, "127.0.0.1:1", "127.0.0.1:1")) {
      try (TestApp n1 = start(1, address(n0), "127.0.0.1:1");
          TestApp n2 = start(2, address(n0), address(n1))) {
        assertThat(n0.node().node().id()).isEqualTo(keys.id(0));
        assertThat(n1.node().node().id()).isEqualTo(keys.id(1));
        assertThat(n2.node().node().id()).isEqualTo(keys.id(2));
        assertThat(n0.node().dht().config().bootnodes()).extracting(n -> n.id())
            .containsExactly(keys.id(1));
        for (TestApp n : new TestApp[] {n1, n2}) {
          await().atMost(Duration.ofSeconds(30))
              .until(() -> n.node().dht().bootstrapped().isDone());
          assertThat(n.node().dht().table().find(keys.id(0))).isPresent();
        }
        assertThat(n1.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
      }
    }
    // the derived key was stored: even without the secret, the node starts with the same id
    assertThat(Files.exists(LocalNode.keyFile(dirs.resolve("node-1")))).isTrue();
    try (TestApp again = TestApp.start(dirs.resolve("node-1"))) {
      assertThat(again.node().node().id()).isEqualTo(keys.id(1));
    }
  }

  @Test
  void aKeyFileWithAnotherKeyStopsStartup() {
    TestApp.start(dirs.resolve("node-5")).close(); // stores a random key
    assertThatThrownBy(() -> TestApp.start(dirs.resolve("node-5"),
            "kadmesh.cluster.secret=" + SECRET, "kadmesh.cluster.ordinal=5"))
        .rootCause()
        .hasMessageContaining("not the key derived from kadmesh.cluster.secret for ordinal 5");
  }

  @Test
  void invalidClusterSettingsStopStartupNamingTheProperty() {
    assertThatThrownBy(() -> TestApp.start(dirs, "kadmesh.cluster.bootnodes[0]=a:1"))
        .rootCause()
        .hasMessageContaining("kadmesh.cluster.bootnodes needs kadmesh.cluster.secret");
    assertThatThrownBy(() -> TestApp.start(dirs, "kadmesh.cluster.secret=short",
            "kadmesh.cluster.ordinal=0"))
        .rootCause()
        .hasMessageContaining("kadmesh.cluster.secret must be at least 32 characters");
    assertThatThrownBy(() -> TestApp.start(dirs, "kadmesh.cluster.secret=" + SECRET,
            "kadmesh.cluster.ordinal=node"))
        .rootCause()
        .hasMessageContaining("kadmesh.cluster.ordinal must be a number or a name ending in");
    assertThatThrownBy(() -> TestApp.start(dirs, "kadmesh.cluster.secret=" + SECRET,
            "kadmesh.cluster.ordinal=0", "kadmesh.cluster.bootnodes[0]=no-port"))
        .rootCause()
        .hasMessageContaining("kadmesh.cluster.bootnodes[0] must be host:port");
  }
}

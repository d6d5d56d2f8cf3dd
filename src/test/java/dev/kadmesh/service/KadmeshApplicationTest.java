package dev.kadmesh.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.net.Connection;
import dev.kadmesh.p2p.net.Net;
import dev.kadmesh.p2p.net.NetConfig;
import dev.kadmesh.p2p.net.NetResources;
import dev.kadmesh.p2p.node.P2PNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application with its default configuration; only what a test must change is set: loopback
 * and free ports (the defaults are 0.0.0.0:7513 and 8080) and a temporary data dir.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"kadmesh.p2p.host=127.0.0.1", "kadmesh.p2p.port=0", "spring.grpc.server.port=0"})
class KadmeshApplicationTest {
  @TempDir static Path dataDir;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("kadmesh.data-dir", () -> dataDir.toString());
  }

  @Autowired P2PNode node;

  @Value("${local.server.port}")
  int httpPort;

  @Test
  void startsANodeWithAPersistedIdentityAndAParsableNodeString() {
    assertThat(node.isRunning()).isTrue();
    Node parsed = Node.parse(node.node().toString());
    assertThat(parsed).isEqualTo(node.node());
    assertThat(parsed.host()).isEqualTo("127.0.0.1");
    assertThat(parsed.port()).isEqualTo(node.net().listenAddress().getPort());
    assertThat(Files.exists(LocalNode.keyFile(dataDir))).isTrue();
  }

  @Test
  void healthIsUpAndShowsTheNode() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"status\":\"UP\"")
        .contains(node.node().toString());
  }

  @Test
  void aPeerCanOpenASessionWithTheRunningNode() throws Exception {
    try (NetResources resources = NetResources.create(1)) {
      Net peer =
          Net.start(NetConfig.defaults(), LocalNode.generate("127.0.0.1", 1, new SecureRandom()),
              resources);
      try {
        Connection c =
            peer.dial(new InetSocketAddress("127.0.0.1", node.node().port()), node.node().id())
                .get(10, TimeUnit.SECONDS);
        assertThat(c.remoteId()).isEqualTo(node.node().id());
      } finally {
        peer.close();
      }
    }
  }
}

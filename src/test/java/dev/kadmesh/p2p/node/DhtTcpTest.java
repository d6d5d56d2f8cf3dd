package dev.kadmesh.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kadmesh.p2p.identity.Node;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routing table upkeep between real nodes. */
class DhtTcpTest {
  private final TcpCluster cluster = new TcpCluster();

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static void contact(P2PNode from, P2PNode to) throws Exception {
    from.swarm().request(to.node(), "dht/ping", new byte[0]).get(10, TimeUnit.SECONDS);
  }

  @Test
  void fullBucketPingsItsOldestNodeAndReplacesItOnlyWhenItIsGone() throws Exception {
    // one bucket of one node: every newcomer competes with the incumbent
    P2PNode a = cluster.start(List.of(), TcpCluster.table(1, 1, 0));
    P2PNode b = cluster.start(List.of());
    P2PNode c = cluster.start(List.of());
    P2PNode d = cluster.start(List.of());

    contact(b, a);
    assertThat(a.dht().table().all()).containsExactly(b.node());

    contact(c, a); // bucket full: a pings b, b answers, c waits as a replacement
    await().atMost(Duration.ofSeconds(10))
        .until(() -> a.swarm().pendingRequests() == 0 && a.dht().table().buckets().get(0)
            .replacements() == 1);
    assertThat(a.dht().table().all()).containsExactly(b.node());

    b.close();
    contact(d, a); // b does not answer the ping: it is evicted, the newest candidate takes over
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !a.dht().table().all().contains(b.node()));
    List<Node> now = a.dht().table().all();
    assertThat(now).containsExactly(d.node());
  }

  @Test
  void findNodeAnswersNeverContainTheRequesterAndAtMostK() throws Exception {
    P2PNode server = cluster.start(List.of(), TcpCluster.table(3, 20, 0));
    P2PNode asker = cluster.start(List.of());
    contact(asker, server); // first: its bucket has room, so the server does know it
    for (int i = 0; i < 6; i++) {
      contact(cluster.start(List.of()), server);
    }
    assertThat(server.dht().table().find(asker.node().id())).isPresent();
    assertThat(server.dht().table().size()).isGreaterThan(3);
    List<Node> answer =
        asker.dht().findNode(server.node(), asker.node().dhtId()).get(10, TimeUnit.SECONDS);
    assertThat(answer).hasSizeLessThanOrEqualTo(3).isNotEmpty().doesNotContain(asker.node());
  }
}

package dev.kadmesh.p2p.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.net.CloseReason;
import dev.kadmesh.p2p.net.Connection;
import dev.kadmesh.p2p.net.DialException;
import dev.kadmesh.p2p.net.Net;
import dev.kadmesh.p2p.net.NetConfig;
import dev.kadmesh.p2p.net.NetListener;
import dev.kadmesh.p2p.net.NetResources;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConnectionPoolTest {
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
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** A transport with a pool, recording inbound connections, closes and messages. */
  final class Peer implements NetListener {
    final Net net;
    final ConnectionPool pool;
    final NodeId id;
    final BlockingQueue<Connection> inbound = new LinkedBlockingQueue<>();
    final BlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final java.util.concurrent.atomic.AtomicInteger dials =
        new java.util.concurrent.atomic.AtomicInteger();

    Peer(NetConfig netConfig, PoolConfig poolConfig) {
      LocalNode local = LocalNode.generate("127.0.0.1", 1, new SecureRandom());
      id = local.id();
      net = Net.start(netConfig, local, resources);
      net.subscribe(this);
      pool = new ConnectionPool(net, (address, remote) -> {
        dials.incrementAndGet();
        return net.dial(address, remote);
      }, poolConfig, resources.scheduler());
      open.add(net);
      open.add(pool);
    }

    InetSocketAddress address() {
      return net.listenAddress();
    }

    CompletableFuture<Connection> connect(Peer other) {
      return pool.getConnection(other.address(), other.id);
    }

    @Override
    public void onInboundConnection(Connection connection) {
      inbound.add(connection);
    }

    @Override
    public void onConnectionClosed(Connection connection, CloseReason reason) {
      closes.add(reason);
    }

    @Override
    public void onMessage(Connection connection, byte[] message) {
      messages.add(new String(message, StandardCharsets.UTF_8));
    }
  }

  private Peer peer(PoolConfig config) {
    return new Peer(NetConfig.defaults(), config);
  }

  private Peer peer() {
    return peer(new PoolConfig(100, 50, Duration.ofMillis(50)));
  }

  @Test
  void concurrentCallersForOnePeerShareOneDial() throws Exception {
    Peer a = peer();
    Peer b = peer();
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<Connection>> results = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        results.add(
            CompletableFuture.supplyAsync(
                    () -> {
                      awaitLatch(go);
                      return a.connect(b);
                    },
                    callers)
                .thenCompose(f -> f));
      }
      go.countDown();
      Set<Connection> distinct = new HashSet<>();
      for (CompletableFuture<Connection> f : results) {
        distinct.add(f.get(10, TimeUnit.SECONDS));
      }
      assertThat(distinct).hasSize(1);
      assertThat(a.dials.get()).isEqualTo(1);
      assertThat(b.inbound.poll(5, TimeUnit.SECONDS)).isNotNull();
      // one more call after the fact reuses it too
      assertThat(a.connect(b).join()).isSameAs(distinct.iterator().next());
      assertThat(a.dials.get()).isEqualTo(1);
      assertThat(a.pool.size()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> b.pool.inboundCount() == 1);
      assertThat(b.pool.size()).isEqualTo(1);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void simultaneousDialFromBothSidesEndsWithExactlyOneConnectionAndLosesNoMessage()
      throws Exception {
    int duplicatesDropped = 0;
    for (int round = 0; round < 10; round++) {
      // a generous grace: a connection handed to a caller stays usable while the test uses it
      Peer a = peer(new PoolConfig(100, 50, Duration.ofSeconds(1)));
      Peer b = peer(new PoolConfig(100, 50, Duration.ofSeconds(1)));
      CompletableFuture<Connection> fromA = a.connect(b);
      CompletableFuture<Connection> fromB = b.connect(a);
      Connection ca = fromA.get(10, TimeUnit.SECONDS);
      Connection cb = fromB.get(10, TimeUnit.SECONDS);
      ca.send("from a".getBytes(StandardCharsets.UTF_8));
      cb.send("from b".getBytes(StandardCharsets.UTF_8));

      NodeId smaller = a.id.compareTo(b.id) < 0 ? a.id : b.id;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  a.pool.size() == 1
                      && b.pool.size() == 1
                      && a.net.pendingHandshakes() == 0
                      && b.net.pendingHandshakes() == 0);
      Connection keptByA = a.pool.get(b.id).orElseThrow();
      Connection keptByB = b.pool.get(a.id).orElseThrow();
      assertThat(keptByA.initiator()).isEqualTo(smaller);
      assertThat(keptByB.initiator()).isEqualTo(smaller);
      // the two ends of one TCP connection
      assertThat(keptByA.remoteAddress().getPort()).isEqualTo(keptByB.localAddress().getPort());
      assertThat(keptByB.remoteAddress().getPort()).isEqualTo(keptByA.localAddress().getPort());
      assertThat(b.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("from a");
      assertThat(a.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("from b");
      // any dropped duplicate is closed on both sides after the grace period
      await().atMost(Duration.ofSeconds(15)).until(() -> openChannels(a, b) == 2);
      assertThat(keptByA.isOpen()).isTrue();
      assertThat(keptByB.isOpen()).isTrue();
      duplicatesDropped += (int) a.closes.stream().filter(r -> r == CloseReason.DUPLICATE).count();
      duplicatesDropped += (int) b.closes.stream().filter(r -> r == CloseReason.DUPLICATE).count();
    }
    // the rounds really raced: both dials completed a handshake and one was dropped
    assertThat(duplicatesDropped).isPositive();
  }

  private static int openChannels(Peer a, Peer b) {
    // inbound + outbound connections each side still holds open
    return (int) (a.inbound.stream().filter(Connection::isOpen).count()
        + b.inbound.stream().filter(Connection::isOpen).count()
        + a.pool.connections().stream()
            .filter(c -> c.direction() == Connection.Direction.OUTBOUND && c.isOpen()).count()
        + b.pool.connections().stream()
            .filter(c -> c.direction() == Connection.Direction.OUTBOUND && c.isOpen()).count());
  }

  @Test
  void inboundConnectionsBeyondTheCapAreRefused() throws Exception {
    Peer hub = peer(new PoolConfig(10, 2, Duration.ZERO));
    Peer p1 = peer();
    Peer p2 = peer();
    Peer p3 = peer();
    p1.connect(hub).get(5, TimeUnit.SECONDS);
    p2.connect(hub).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.pool.inboundCount() == 2);
    assertThatThrownBy(() -> p3.connect(hub).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(DialException.class);
    assertThat(hub.pool.inboundCount()).isEqualTo(2);
    // the hub can still dial out to p3 itself
    assertThat(hub.connect(p3).get(5, TimeUnit.SECONDS).isOpen()).isTrue();
  }

  @Test
  void dialsBeyondTheTotalCapFailWithCapacity() throws Exception {
    Peer a = peer(new PoolConfig(1, 1, Duration.ZERO));
    Peer b = peer();
    Peer c = peer();
    a.connect(b).get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> a.connect(c).join())
        .hasCauseInstanceOf(DialException.class)
        .hasMessageContaining("connection limit reached");
  }

  @Test
  void shutdownFailsPendingCallersPromptlyAndClosesConnections() throws Exception {
    Peer a = new Peer(
        NetConfig.defaults().withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(5)),
        PoolConfig.defaults());
    Peer b = peer();
    Connection toB = a.connect(b).get(5, TimeUnit.SECONDS);
    try (ServerSocket silent = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
      // accepts TCP but never answers the handshake
      CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
        try {
          return silent.accept();
        } catch (java.io.IOException e) {
          throw new CompletionException(e);
        }
      });
      NodeId stranger = LocalNode.generate("127.0.0.1", 1, new SecureRandom()).id();
      CompletableFuture<Connection> waiting =
          a.pool.getConnection(new InetSocketAddress("127.0.0.1", silent.getLocalPort()), stranger);
      try (Socket held = accepted.get(5, TimeUnit.SECONDS)) {
        assertThat(held.isConnected()).isTrue();
        assertThat(waiting).isNotDone();
        a.pool.close();
        assertThatThrownBy(() -> waiting.get(1, TimeUnit.SECONDS))
            .hasCauseInstanceOf(DialException.class)
            .hasMessageContaining("shut down");
      }
    }
    assertThat(toB.closeFuture().get(5, TimeUnit.SECONDS)).isEqualTo(CloseReason.LOCAL_CLOSE);
    assertThatThrownBy(() -> a.connect(b).join()).hasMessageContaining("shut down");
  }

  @Test
  void idleConnectionsAreClosedAndBusyOnesKept() throws Exception {
    Peer a = peer(new PoolConfig(100, 50, Duration.ZERO, Duration.ofMillis(400)));
    Peer b = peer();
    Peer c = peer();
    Connection idle = a.connect(b).get(5, TimeUnit.SECONDS);
    Connection busy = a.connect(c).get(5, TimeUnit.SECONDS);
    long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (System.nanoTime() < end) {
      busy.send("keep-alive".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
      assertThat(c.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("keep-alive");
    }
    assertThat(idle.closeFuture().get(5, TimeUnit.SECONDS)).isEqualTo(CloseReason.IDLE);
    assertThat(busy.isOpen()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> a.pool.get(b.id).isEmpty());
    assertThat(a.connect(b).get(5, TimeUnit.SECONDS).isOpen()).isTrue();
  }

  @Test
  void aClosedConnectionIsForgottenAndTheNextCallRedials() throws Exception {
    Peer a = peer();
    Peer b = peer();
    Connection first = a.connect(b).get(5, TimeUnit.SECONDS);
    first.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> a.pool.size() == 0);
    Connection second = a.connect(b).get(5, TimeUnit.SECONDS);
    assertThat(second).isNotSameAs(first);
    assertThat(second.isOpen()).isTrue();
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

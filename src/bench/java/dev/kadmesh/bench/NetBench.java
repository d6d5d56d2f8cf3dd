package dev.kadmesh.bench;

import dev.kadmesh.p2p.crypto.AeadCipher;
import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.crypto.PublicKey;
import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.net.Net;
import dev.kadmesh.p2p.net.Connection;
import dev.kadmesh.p2p.net.NetConfig;
import dev.kadmesh.p2p.net.NetResources;
import dev.kadmesh.p2p.node.P2PConfig;
import dev.kadmesh.p2p.node.P2PNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Network figures over real TCP on loopback, each beside a baseline measured in the same run:
 * plain Java sockets doing the same exchange (or the AEAD cipher alone).
 */
final class NetBench implements AutoCloseable {
  private final NetResources resources = NetResources.create(0);
  private final P2PNode a;
  private final P2PNode b;

  NetBench() {
    // the transport's capacity: the per-peer limits would cap bulk and small messages by design,
    // and every dialler here is on 127.0.0.1
    NetConfig net = NetConfig.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(5))
        .withLimits(dev.kadmesh.p2p.net.NetLimits.none());
    b = P2PNode.start(P2PConfig.ephemeral(net, List.of()), resources);
    a = P2PNode.start(P2PConfig.ephemeral(net, List.of(b.node())), resources);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (a.dht().table().find(b.node().id()).isEmpty()) { // A knows B once B answered
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("node A did not learn node B");
      }
      Thread.onSpinWait();
    }
  }

  @Override
  public void close() {
    a.close();
    b.close();
    resources.close();
  }

  // ---- ping-pong latency ----

  /** Round trips of a 64-byte message through sendMessage and registered protocols, in ns. */
  long[] pingPong(int warmup, int count) throws Exception {
    java.util.concurrent.BlockingQueue<Boolean> pongs = new java.util.concurrent.LinkedBlockingQueue<>();
    b.swarm().registerProtocol("bench/ping", m -> {
      b.swarm().sendMessageAsync(m.sender(), "bench/pong", m.data());
      return true;
    });
    a.swarm().registerProtocol("bench/pong", m -> pongs.offer(Boolean.TRUE));
    try {
      byte[] payload = new byte[64];
      long[] rtt = new long[count];
      for (int i = 0; i < warmup + count; i++) {
        long t0 = System.nanoTime();
        a.swarm().sendMessageAsync(b.node().id(), "bench/ping", payload);
        if (pongs.poll(10, TimeUnit.SECONDS) == null) {
          throw new IllegalStateException("no pong");
        }
        if (i >= warmup) {
          rtt[i - warmup] = System.nanoTime() - t0;
        }
      }
      return rtt;
    } finally {
      a.swarm().unregisterProtocol("bench/pong");
      b.swarm().unregisterProtocol("bench/ping");
    }
  }

  /** Baseline: the same ping-pong with plain sockets (length-prefixed frames, TCP_NODELAY). */
  static long[] rawPingPong(int warmup, int count) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread echo = new Thread(() -> {
        try (Socket s = server.accept()) {
          s.setTcpNoDelay(true);
          DataInputStream in = new DataInputStream(s.getInputStream());
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          byte[] buf = new byte[64];
          while (true) {
            int n = in.readInt();
            in.readFully(buf, 0, n);
            out.writeInt(n);
            out.write(buf, 0, n);
            out.flush();
          }
        } catch (IOException e) {
          // client closed
        }
      });
      echo.setDaemon(true);
      echo.start();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        s.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        byte[] payload = new byte[64];
        long[] rtt = new long[count];
        for (int i = 0; i < warmup + count; i++) {
          long t0 = System.nanoTime();
          out.writeInt(payload.length);
          out.write(payload);
          out.flush();
          in.readFully(payload, 0, in.readInt());
          if (i >= warmup) {
            rtt[i - warmup] = System.nanoTime() - t0;
          }
        }
        return rtt;
      }
    }
  }

  // ---- one-way streams ----

  /**
   * Messages of {@code size} bytes from A to B through sendMessage, with at most {@code window}
   * sends not yet handed to the socket; returns messages per second received by B's protocol.
   * Fails at the first send that fails.
   */
  double stream(int size, int count, int window) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong received = new AtomicLong();
    b.swarm().registerProtocol("bench/stream", m -> {
      if (received.incrementAndGet() == count) {
        done.countDown();
      }
      return true;
    });
    try {
      Semaphore inFlight = new Semaphore(window);
      java.util.concurrent.atomic.AtomicReference<Throwable> failure =
          new java.util.concurrent.atomic.AtomicReference<>();
      byte[] payload = new byte[size];
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        inFlight.acquire();
        if (failure.get() != null) {
          throw new IllegalStateException("a send failed", failure.get());
        }
        CompletableFuture<Void> f = a.swarm().sendMessageAsync(b.node().id(), "bench/stream",
            payload);
        f.whenComplete((ok, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
          inFlight.release();
        });
      }
      if (!done.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("only " + received.get() + " of " + count + " arrived");
      }
      return count / ((System.nanoTime() - t0) / 1e9);
    } finally {
      b.swarm().unregisterProtocol("bench/stream");
    }
  }

  /** Baseline: the same one-way stream of length-prefixed frames over a plain socket. */
  static double rawStream(int size, int count) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CountDownLatch done = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try (Socket s = server.accept()) {
          DataInputStream in = new DataInputStream(
              new java.io.BufferedInputStream(s.getInputStream(), 1 << 16));
          byte[] buf = new byte[size];
          for (int i = 0; i < count; i++) {
            in.readFully(buf, 0, in.readInt());
          }
          done.countDown();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      reader.setDaemon(true);
      reader.start();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        DataOutputStream out = new DataOutputStream(
            new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16));
        byte[] payload = new byte[size];
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
          out.writeInt(size);
          out.write(payload);
        }
        out.flush();
        if (!done.await(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("raw stream did not finish");
        }
        return count / ((System.nanoTime() - t0) / 1e9);
      }
    }
  }

  /** Baseline for small messages: seal then open with the session cipher alone, one thread. */
  static double aeadOnly(int size, int count) throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    AeadCipher sealer = new AeadCipher(key);
    AeadCipher opener = new AeadCipher(key);
    byte[] payload = new byte[size];
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      opener.open(sealer.seal(payload));
    }
    return count / ((System.nanoTime() - t0) / 1e9);
  }

  // ---- handshakes ----

  /** Complete handshakes per second: {@code threads} dialers open and close connections to B. */
  double handshakes(int count, int threads) throws Exception {
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", b.net().listenAddress().getPort());
    AtomicLong left = new AtomicLong(count);
    List<Thread> dialers = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        while (left.getAndDecrement() > 0) {
          Connection c = a.net().dial(target, b.node().id()).orTimeout(30, TimeUnit.SECONDS).join();
          c.close();
        }
      });
      dialers.add(th);
      th.start();
    }
    for (Thread th : dialers) {
      th.join();
    }
    return count / ((System.nanoTime() - t0) / 1e9);
  }

  /**
   * Baseline for handshakes: the elliptic-curve work of one handshake, both sides, done by {@code
   * threads} threads with nothing else: two ephemeral keys, two signatures, two verifications and
   * two key agreements, with the four remote keys decoded from bytes first, as a handshake must
   * (so no point precomputation is reused). Returns handshakes' worth per second.
   */
  static double ecBound(int count, int threads) throws Exception {
    SecureRandom random = new SecureRandom();
    PrivateKey staticI = PrivateKey.generate(random);
    PrivateKey staticR = PrivateKey.generate(random);
    byte[] digest = new byte[32];
    AtomicLong left = new AtomicLong(count);
    List<Thread> workers = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        while (left.getAndDecrement() > 0) {
          PrivateKey ephI = PrivateKey.generate(random);
          PrivateKey ephR = PrivateKey.generate(random);
          PublicKey staticIatR = PublicKey.fromBytes(staticI.publicKey().toBytes());
          PublicKey ephIatR = PublicKey.fromBytes(ephI.publicKey().toBytes());
          PublicKey staticRatI = PublicKey.fromBytes(staticR.publicKey().toBytes());
          PublicKey ephRatI = PublicKey.fromBytes(ephR.publicKey().toBytes());
          if (!staticRatI.verify(digest, staticR.sign(digest))
              || !staticIatR.verify(digest, staticI.sign(digest))
              || !Arrays.equals(ephR.agree(ephIatR), ephI.agree(ephRatI))) {
            throw new IllegalStateException("EC operations disagree");
          }
        }
      });
      workers.add(th);
      th.start();
    }
    for (Thread th : workers) {
      th.join();
    }
    return count / ((System.nanoTime() - t0) / 1e9);
  }

  // ---- memory ----

  /**
   * Heap per established, idle connection: {@code count} connections between two bare transports
   * (no pool, no DHT), both ends in this JVM, measured after GC. Returns bytes per connection end.
   */
  double heapPerIdleConnection(int count) throws Exception {
    NetConfig config = NetConfig.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10))
        .withLimits(dev.kadmesh.p2p.net.NetLimits.none());
    SecureRandom random = new SecureRandom();
    LocalNode serverKey = LocalNode.generate("127.0.0.1", 1, random);
    java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    try (Net server = Net.start(config, serverKey, resources);
        Net client = Net.start(config, LocalNode.generate("127.0.0.1", 1, random), resources)) {
      server.subscribe(new dev.kadmesh.p2p.net.NetListener() {
        @Override
        public void onInboundConnection(Connection connection) {
          accepted.incrementAndGet();
        }
      });
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.listenAddress().getPort());
      client.dial(target, serverKey.id()).orTimeout(10, TimeUnit.SECONDS).join().close(); // warm
      long deadlineWarm = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (accepted.get() < 1 && System.nanoTime() < deadlineWarm) {
        Thread.sleep(1);
      }
      accepted.set(0);
      long before = usedHeapAfterGc();
      List<Connection> open = new ArrayList<>(count);
      for (int i = 0; i < count; i += 64) { // 64 handshakes in flight at a time
        List<CompletableFuture<Connection>> batch = new ArrayList<>();
        for (int j = i; j < Math.min(count, i + 64); j++) {
          batch.add(client.dial(target, serverKey.id()).orTimeout(30, TimeUnit.SECONDS));
        }
        for (CompletableFuture<Connection> f : batch) {
          open.add(f.join());
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (accepted.get() < count) { // the server's ends are established too
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("server has " + accepted.get() + " of " + count);
        }
        Thread.sleep(10);
      }
      long after = usedHeapAfterGc();
      if (open.stream().anyMatch(c -> !c.isOpen())) {
        throw new IllegalStateException("a connection closed while idle");
      }
      open.forEach(Connection::close);
      return (after - before) / (2.0 * count);
    }
  }

  /** Baseline: the same number of plain NIO socket pairs, idle; bytes per socket. */
  static double heapPerIdleSocket(int count) throws Exception {
    try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), count);
      List<java.nio.channels.SocketChannel> sockets = new ArrayList<>(2 * count);
      long before = usedHeapAfterGc();
      try {
        for (int i = 0; i < count; i++) {
          sockets.add(java.nio.channels.SocketChannel.open(server.getLocalAddress()));
          sockets.add(server.accept());
        }
        long after = usedHeapAfterGc();
        return (after - before) / (2.0 * count);
      } finally {
        for (java.nio.channels.SocketChannel c : sockets) {
          c.close();
        }
      }
    }
  }

  static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) { // the lowest of a few full collections
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }

  static long percentile(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  static long[] sorted(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }
}

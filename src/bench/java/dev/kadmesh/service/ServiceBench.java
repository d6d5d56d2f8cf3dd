package dev.kadmesh.service;

import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.service.api.Subscriptions;
import dev.kadmesh.service.grpc.proto.KadmeshNodeGrpc;
import dev.kadmesh.service.grpc.proto.Message;
import dev.kadmesh.service.grpc.proto.SubscribeRequest;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's APIs under load: two whole applications (A, B) in this JVM, joined on loopback.
 * Each figure is messages per second and the process CPU per message (both applications and the
 * client together), beside a baseline measured the same way in the same run.
 */
public final class ServiceBench implements AutoCloseable {
  /** Messages per second and CPU microseconds per message. */
  public record Rate(double perSecond, double cpuMicrosPerMessage) {}

  private static final int WINDOW = 256; // messages sent and not yet received
  private final TestApp a;
  private final TestApp b;

  public ServiceBench() throws Exception {
    Path dir = Files.createTempDirectory("kadmesh-service-bench");
    // the per-peer rate limits would cap these figures by design: they measure the APIs
    b = TestApp.start(dir.resolve("b"), "logging.level.root=WARN",
        "kadmesh.p2p.peer-messages-per-second=0", "kadmesh.p2p.peer-bytes-per-second=0");
    a = TestApp.start(dir.resolve("a"), "kadmesh.bootnodes=" + b.node().node(),
        "kadmesh.dht.min-routing-table=1", "logging.level.root=WARN",
        "kadmesh.p2p.peer-messages-per-second=0", "kadmesh.p2p.peer-bytes-per-second=0");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!a.node().dht().bootstrapped().isDone()
        || a.node().dht().table().find(b.node().node().id()).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("A did not join B");
      }
      Thread.sleep(10);
    }
  }

  /**
   * A sends {@code count} messages of {@code size} bytes to B through its node; B's gRPC
   * subscriber (a real gRPC client on loopback) receives them. Fails if any was dropped.
   */
  public Rate grpcSubscribe(int count, int size) throws Exception {
    String protocol = "benchgrpc";
    AtomicLong received = new AtomicLong();
    AtomicLong dropped = new AtomicLong();
    AtomicReference<Throwable> error = new AtomicReference<>();
    Semaphore window = new Semaphore(WINDOW);
    int before = subscribers(protocol);
    KadmeshNodeGrpc.newStub(b.channel()).subscribe(
        SubscribeRequest.newBuilder().setProtocol(protocol).build(),
        new StreamObserver<Message>() {
          @Override
          public void onNext(Message m) {
            dropped.addAndGet(m.getDroppedBefore());
            received.incrementAndGet();
            window.release();
          }

          @Override
          public void onError(Throwable t) {
            error.compareAndSet(null, t);
          }

          @Override
          public void onCompleted() {}
        });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (subscribers(protocol) == before) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the subscription did not open");
      }
      Thread.sleep(5);
    }
    Rate r = stream(protocol, count, size, received, window);
    if (dropped.get() > 0 || error.get() != null) {
      throw new IllegalStateException("the subscriber lost " + dropped.get() + " messages",
          error.get());
    }
    b.context.getBean(Subscriptions.class).unregister(protocol);
    return r;
  }

  /** Baseline: the same messages to a sink registered on B's node directly (no API). */
  public Rate nodeSink(int count, int size) throws Exception {
    String protocol = "benchsink";
    AtomicLong received = new AtomicLong();
    Semaphore window = new Semaphore(WINDOW);
    b.node().swarm().registerProtocol(protocol, m -> {
      received.incrementAndGet();
      window.release();
      return true;
    });
    try {
      return stream(protocol, count, size, received, window);
    } finally {
      b.node().swarm().unregisterProtocol(protocol);
    }
  }

  private Rate stream(String protocol, int count, int size, AtomicLong received, Semaphore window)
      throws Exception {
    NodeId to = b.node().node().id();
    byte[] payload = new byte[size];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long cpu0 = cpu();
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no progress: " + received.get() + " of " + i + " arrived");
      }
      a.node().swarm().sendMessageAsync(to, protocol, payload)
          .whenComplete((ok, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          });
      if (failure.get() != null) {
        throw new IllegalStateException("a send failed", failure.get());
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (received.get() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + received.get() + " of " + count + " arrived");
      }
      Thread.onSpinWait();
    }
    return rate(count, t0, cpu0);
  }

  /**
   * {@code threads} HTTP clients POST {@code count} sends of {@code size} bytes from A to B
   * through {@code /api/v1/messages}; each must be accepted (202).
   */
  public Rate restSend(int count, int size, int threads) throws Exception {
    String protocol = "benchrest";
    b.node().swarm().registerProtocol(protocol, m -> true);
    String body = "{\"to\":\"" + b.id() + "\",\"protocol\":\"" + protocol + "\",\"payload\":\""
        + Base64.getEncoder().encodeToString(new byte[size]) + "\"}";
    try {
      return clients(count, threads, () -> a.post("/api/v1/messages", body), 202);
    } finally {
      b.node().swarm().unregisterProtocol(protocol);
    }
  }

  /** Baseline: the same clients reading A's liveness endpoint (the HTTP stack alone). */
  public Rate restFloor(int count, int threads) throws Exception {
    return clients(count, threads, () -> a.get("/actuator/health/liveness"), 200);
  }

  private Rate clients(int count, int threads,
      java.util.function.Supplier<HttpResponse<String>> call, int status) throws Exception {
    AtomicLong left = new AtomicLong(count);
    AtomicReference<String> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    long cpu0 = cpu();
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        while (left.getAndDecrement() > 0 && failure.get() == null) {
          HttpResponse<String> r = call.get();
          if (r.statusCode() != status) {
            failure.compareAndSet(null, r.statusCode() + " " + r.body());
          }
        }
      });
      workers.add(th);
      th.start();
    }
    for (Thread th : workers) {
      th.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a request failed: " + failure.get());
    }
    return rate(count, t0, cpu0);
  }

  private int subscribers(String protocol) {
    return b.context.getBean(Subscriptions.class).protocol(protocol)
        .map(dev.kadmesh.service.api.ProtocolInfo::subscribers).orElse(0);
  }

  private static Rate rate(int count, long t0, long cpu0) {
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Rate(count / seconds, (cpu() - cpu0) / 1e3 / count);
  }

  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  @Override
  public void close() {
    a.close();
    b.close();
  }
}

package dev.kadmesh.p2p.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The event loop threads that run the transport. One instance is shared by every node of a
 * process, so many nodes in one JVM cost no extra threads. Whoever creates it closes it, after the
 * nodes that use it.
 */
public final class NetResources implements AutoCloseable {
  private final EventLoopGroup group;
  private final ThreadPoolExecutor resolver;

  private NetResources(EventLoopGroup group) {
    this.group = group;
    this.resolver =
        new ThreadPoolExecutor(
            2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024),
            new DefaultThreadFactory("kadmesh-resolver", true));
    this.resolver.allowCoreThreadTimeOut(true);
  }

  /** A group of {@code threads} event loops (0 means one per core). */
  public static NetResources create(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0");
    }
    return new NetResources(
        new MultiThreadIoEventLoopGroup(
            threads, new DefaultThreadFactory("kadmesh-net", true), NioIoHandler.newFactory()));
  }

  EventLoopGroup group() {
    return group;
  }

  /** Threads for blocking name resolution, so that DNS never stalls an event loop. */
  Executor resolver() {
    return resolver;
  }

  /** A scheduler for short, non-blocking timed tasks, backed by the same event loops. */
  public ScheduledExecutorService scheduler() {
    return group;
  }

  /** Stops the event loops and waits up to five seconds for them. */
  @Override
  public void close() {
    resolver.shutdownNow();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}

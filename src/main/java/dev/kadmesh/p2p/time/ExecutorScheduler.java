package dev.kadmesh.p2p.time;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Wall-clock time and timers on a shared executor (in a node, the transport's event loops). */
public final class ExecutorScheduler implements Scheduler {
  private final ScheduledExecutorService executor;
  private final LongSupplier clock;

  /** @param clock Unix milliseconds (the node's clock, so that tests can shift it) */
  public ExecutorScheduler(ScheduledExecutorService executor, LongSupplier clock) {
    this.executor = executor;
    this.clock = clock;
  }

  @Override
  public long nowMillis() {
    return clock.getAsLong();
  }

  @Override
  public long elapsedMillis() {
    return System.nanoTime() / 1_000_000;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayMillis) {
    try {
      ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    } catch (RejectedExecutionException e) {
      return () -> {}; // shutting down: the task will never be needed
    }
  }
}

package dev.kadmesh.p2p.time;

import java.util.PriorityQueue;

/**
 * Virtual time: nothing happens until {@link #runUntil} or {@link #advance} moves the
 * clock and runs due tasks, in time order (ties in scheduling order). Single-threaded: use it from
 * one thread only. The same sequence of calls always produces the same run.
 */
public final class VirtualScheduler implements Scheduler {
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long now;
  private long sequence;
  private int cancelled;

  public VirtualScheduler(long startMillis) {
    this.now = startMillis;
  }

  @Override
  public long nowMillis() {
    return now;
  }

  /** The virtual clock itself: it only moves forward. */
  @Override
  public long elapsedMillis() {
    return now;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayMillis) {
    Task t = new Task(now + Math.max(0, delayMillis), sequence++, task);
    queue.add(t);
    return () -> cancel(t);
  }

  /**
   * Marks the task cancelled; when cancelled tasks (mostly timeouts of requests that were answered)
   * make up most of the queue, they are swept out in one pass.
   */
  private void cancel(Task t) {
    if (t.cancelled) {
      return;
    }
    t.cancelled = true;
    cancelled++;
    if (cancelled > 10_000 && cancelled > queue.size() / 2) {
      queue.removeIf(x -> x.cancelled);
      cancelled = 0;
    }
  }

  /** Runs every task due up to {@code timeMillis}, then sets the clock to it. */
  public void runUntil(long timeMillis) {
    while (!queue.isEmpty() && queue.peek().at <= timeMillis) {
      runNext();
    }
    now = Math.max(now, timeMillis);
  }

  /** Advances the clock by {@code millis}, running what falls due. */
  public void advance(long millis) {
    runUntil(now + millis);
  }

  private void runNext() {
    Task t = queue.poll();
    now = Math.max(now, t.at);
    if (t.cancelled) {
      cancelled--;
    } else {
      t.cancelled = true; // ran: a later cancel() is a no-op
      t.task.run();
    }
  }

  private static final class Task implements Comparable<Task> {
    final long at;
    final long seq;
    final Runnable task;
    boolean cancelled;

    Task(long at, long seq, Runnable task) {
      this.at = at;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Task o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }
  }
}

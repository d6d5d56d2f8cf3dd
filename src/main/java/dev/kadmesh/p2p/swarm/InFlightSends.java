package dev.kadmesh.p2p.swarm;

import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.time.Scheduler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sends in flight, each failed with {@link SendFailure.Kind#TIMEOUT} at its deadline. One
 * timer serves them all: it fires at the earliest deadline, fails what is due and re-arms for the
 * next, so a send that finishes in time costs no timer at all. Since every send has the same
 * timeout, a new send's deadline is never earlier than the armed one. Thread-safe.
 */
final class InFlightSends {
  /** Sweeps after the first are at least this far apart, so a burst of timeouts is batched. */
  private static final long MIN_SWEEP_GAP_MILLIS = 10;

  private final Scheduler scheduler;
  private final long timeoutMillis;
  private final Set<Send> sends = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean armed = new AtomicBoolean();

  /** One send's result, with where it goes and when it must have finished. */
  static final class Send extends CompletableFuture<Void> {
    private final NodeId to;
    private final long deadline;

    private Send(NodeId to, long deadline) {
      this.to = to;
      this.deadline = deadline;
    }
  }

  InFlightSends(Scheduler scheduler, long timeoutMillis) {
    this.scheduler = scheduler;
    this.timeoutMillis = timeoutMillis;
  }

  /** Starts tracking a new send to {@code to}; its deadline is the timeout from now. */
  Send start(NodeId to) {
    Send send = new Send(to, scheduler.elapsedMillis() + timeoutMillis);
    sends.add(send);
    if (armed.compareAndSet(false, true)) {
      scheduler.schedule(this::sweep, timeoutMillis);
    }
    return send;
  }

  /** Completes {@code send} (successfully when {@code error} is null) and stops tracking it. */
  void finish(Send send, Throwable error) {
    sends.remove(send);
    if (error == null) {
      send.complete(null);
    } else {
      send.completeExceptionally(error);
    }
  }

  /** The sends not finished yet. */
  List<Send> pending() {
    return sends.stream().filter(s -> !s.isDone()).toList();
  }

  int size() {
    return pending().size();
  }

  private void sweep() {
    long now = scheduler.elapsedMillis();
    long next = Long.MAX_VALUE;
    for (Send s : sends) {
      if (s.isDone()) { // completed by its caller (e.g. cancelled)
        sends.remove(s);
      } else if (s.deadline <= now) {
        finish(s, new SendFailure(SendFailure.Kind.TIMEOUT,
            "sending to " + s.to + " took longer than " + timeoutMillis + " ms"));
      } else {
        next = Math.min(next, s.deadline);
      }
    }
    if (next != Long.MAX_VALUE) {
      scheduler.schedule(this::sweep, Math.max(next - now, MIN_SWEEP_GAP_MILLIS));
      return;
    }
    armed.set(false);
    // a send that started during the scan saw the timer armed and did not arm it
    if (!sends.isEmpty() && armed.compareAndSet(false, true)) {
      long first = sends.stream().mapToLong(s -> s.deadline).min().orElse(now);
      scheduler.schedule(this::sweep, Math.max(first - now, 0));
    }
  }
}

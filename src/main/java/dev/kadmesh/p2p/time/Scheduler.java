package dev.kadmesh.p2p.time;

/**
 * Time and timers for the protocol code, injected so that tests and the simulator can run it on
 * virtual time. Tasks must be short and must not block.
 */
public interface Scheduler {

  /** Current time in Unix milliseconds. */
  long nowMillis();

  /** Runs {@code task} once after {@code delayMillis}; the handle cancels it. */
  Cancellable schedule(Runnable task, long delayMillis);

  /** A scheduled task that can still be cancelled. */
  interface Cancellable {
    void cancel();
  }
}

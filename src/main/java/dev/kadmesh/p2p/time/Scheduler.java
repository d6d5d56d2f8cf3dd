package dev.kadmesh.p2p.time;

/**
 * Time and timers for the protocol code, injected so that tests and the simulator can run it on
 * virtual time. Tasks must be short and must not block.
 */
public interface Scheduler {

  /** Current time in Unix milliseconds. */
  long nowMillis();

  /**
   * Monotonic milliseconds from an arbitrary origin, for measuring how long something took: unlike
   * {@link #nowMillis()} it never jumps when the wall clock is set.
   */
  long elapsedMillis();

  /** Runs {@code task} once after {@code delayMillis}; the handle cancels it. */
  Cancellable schedule(Runnable task, long delayMillis);

  /** A scheduled task that can still be cancelled. */
  interface Cancellable {
    void cancel();
  }
}

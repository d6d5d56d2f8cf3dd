package dev.kadmesh.service.api;

import dev.kadmesh.p2p.swarm.Message;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client's subscription to a protocol's messages: a bounded buffer drained on an executor, so
 * that a slow or stuck client never blocks the node or other subscribers. When the buffer is full,
 * new messages are dropped; the next message delivered carries how many were dropped before it.
 * Subclasses write to a gRPC stream or a Server-Sent Events response.
 */
public abstract class Subscriber {
  private final ArrayBlockingQueue<Message> buffer;
  private final AtomicLong droppedSinceLast = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Executor executor = Runnable::run;
  private volatile Runnable onOverflow = () -> {};
  private volatile Runnable onEnd = () -> {};

  protected Subscriber(int capacity) {
    this.buffer = new ArrayBlockingQueue<>(capacity);
  }

  void attach(Executor executor, Runnable onOverflow, Runnable onEnd) {
    this.executor = executor;
    this.onOverflow = onOverflow;
    this.onEnd = onEnd;
  }

  /** Buffers {@code message} without blocking, or drops and counts it when the buffer is full. */
  final void offer(Message message) {
    if (ended.get()) {
      return;
    }
    if (!buffer.offer(message)) {
      droppedSinceLast.incrementAndGet();
      dropped.incrementAndGet();
      onOverflow.run();
    }
    drainSoon();
  }

  /** Asks for the buffer to be drained on the executor; safe from any thread. */
  protected final void drainSoon() {
    if (wip.getAndIncrement() == 0) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    int missed = 1;
    do {
      while (!ended.get() && isReady()) {
        Message m = buffer.poll();
        if (m == null) {
          break;
        }
        try {
          deliver(m, droppedSinceLast.getAndSet(0));
          delivered.incrementAndGet();
        } catch (Exception e) {
          end(null);
          return;
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  /** Messages dropped because the buffer was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Messages handed to the client. */
  public long delivered() {
    return delivered.get();
  }

  /** Messages waiting in the buffer. */
  public int buffered() {
    return buffer.size();
  }

  public boolean isEnded() {
    return ended.get();
  }

  /**
   * Ends the subscription: the client is told why ({@code reason} null: the client went away, so
   * nothing is written), the buffer is released and the subscription removed. Idempotent.
   */
  public final void end(ApiException reason) {
    if (ended.compareAndSet(false, true)) {
      buffer.clear();
      onEnd.run();
      if (reason != null) {
        try {
          onEnded(reason);
        } catch (RuntimeException e) {
          // the client is gone already; nothing more to tell it
        }
      }
    }
  }

  /** True when the client can take a message now (flow control); else wait for {@link #drainSoon}. */
  protected boolean isReady() {
    return true;
  }

  /**
   * Writes {@code message} to the client. Runs on the drain executor, one call at a time; may
   * block (a blocked client only holds its own drain). Throwing ends the subscription.
   *
   * @param droppedBefore messages dropped since the previous one written
   */
  protected abstract void deliver(Message message, long droppedBefore) throws Exception;

  /** Tells the client the subscription ended for {@code reason}. */
  protected abstract void onEnded(ApiException reason);
}

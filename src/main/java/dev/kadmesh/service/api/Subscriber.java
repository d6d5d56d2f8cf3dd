package dev.kadmesh.service.api;

import dev.kadmesh.p2p.swarm.Message;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client's subscription to a protocol's messages: a bounded buffer (by count and by bytes)
 * drained on an executor, so that a slow or stuck client never blocks the node or other
 * subscribers. When the buffer is full, new messages are dropped; the next message that fits
 * carries how many were dropped just before it. Everything written to the client (messages,
 * keep-alives, the end notice) is written by the drain, one at a time and in order. Subclasses
 * write to a gRPC stream or a Server-Sent Events response.
 */
public abstract class Subscriber {
  private record Entry(Message message, long droppedBefore) {}

  private final int capacity;
  private final long maxBytes;
  private final ArrayDeque<Entry> buffer = new ArrayDeque<>();
  private long bufferedBytes;
  private long pendingDrops;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean keepAliveDue = new AtomicBoolean();
  private volatile ApiException endReason;
  private volatile boolean endTold;
  private volatile Executor executor = Runnable::run;
  private volatile Runnable onOverflow = () -> {};
  private volatile Runnable onEnd = () -> {};

  /**
   * @param capacity messages buffered at most
   * @param maxBytes payload bytes buffered at most (a single larger message still fits when the
   *     buffer is empty)
   */
  protected Subscriber(int capacity, long maxBytes) {
    this.capacity = capacity;
    this.maxBytes = maxBytes;
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
    boolean queued;
    synchronized (buffer) {
      int size = message.data().length;
      queued = buffer.size() < capacity
          && (buffer.isEmpty() || bufferedBytes + size <= maxBytes);
      if (queued) {
        buffer.addLast(new Entry(message, pendingDrops));
        bufferedBytes += size;
        pendingDrops = 0;
      } else {
        pendingDrops++;
      }
    }
    if (!queued) {
      dropped.incrementAndGet();
      onOverflow.run();
    }
    drainSoon();
  }

  /** Asks the drain to write a keep-alive (if the transport needs one) to detect dead clients. */
  final void keepAlive() {
    keepAliveDue.set(true);
    drainSoon();
  }

  /** Asks for the buffer to be drained on the executor; safe from any thread. */
  protected final void drainSoon() {
    if (wip.getAndIncrement() == 0) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        wip.set(0);
        ended.set(true);
        clear();
        onEnd.run();
      }
    }
  }

  private void drain() {
    int missed = 1;
    do {
      if (ended.get()) {
        tellEnd();
      } else {
        try {
          drainReady();
        } catch (Exception e) {
          end(new ApiException(ApiError.INTERNAL, "the subscription failed; see the node's log"),
              e);
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void drainReady() throws Exception {
    if (keepAliveDue.getAndSet(false)) {
      sendKeepAlive();
    }
    while (!ended.get() && isReady()) {
      Entry e;
      synchronized (buffer) {
        e = buffer.pollFirst();
        if (e != null) {
          bufferedBytes -= e.message().data().length;
        }
      }
      if (e == null) {
        return;
      }
      deliver(e.message(), e.droppedBefore());
      delivered.incrementAndGet();
    }
    if (ended.get()) {
      tellEnd();
    }
  }

  private void tellEnd() {
    if (endTold) {
      return;
    }
    endTold = true;
    ApiException reason = endReason;
    if (reason != null) {
      try {
        onEnded(reason);
      } catch (RuntimeException e) {
        // the client is gone already; nothing more to tell it
      }
    }
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
    synchronized (buffer) {
      return buffer.size();
    }
  }

  public boolean isEnded() {
    return ended.get();
  }

  /**
   * Ends the subscription without blocking: the buffer is released, the subscription removed, and
   * the drain tells the client why ({@code reason} null: the client went away, so nothing is
   * written). Idempotent.
   */
  public final void end(ApiException reason) {
    end(reason, null);
  }

  private void end(ApiException reason, Exception cause) {
    if (ended.compareAndSet(false, true)) {
      endReason = reason;
      if (cause != null) {
        org.slf4j.LoggerFactory.getLogger(Subscriber.class)
            .debug("subscription ended after a failed write", cause);
      }
      clear();
      onEnd.run();
      drainSoon();
    }
  }

  private void clear() {
    synchronized (buffer) {
      buffer.clear();
      bufferedBytes = 0;
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
   * @param droppedBefore messages dropped just before this one because the buffer was full
   */
  protected abstract void deliver(Message message, long droppedBefore) throws Exception;

  /** Writes a keep-alive if the transport has no other way to notice a dead client. */
  protected void sendKeepAlive() throws Exception {}

  /** Tells the client the subscription ended for {@code reason}; runs on the drain. */
  protected abstract void onEnded(ApiException reason);
}

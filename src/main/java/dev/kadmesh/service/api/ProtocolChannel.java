package dev.kadmesh.service.api;

import dev.kadmesh.p2p.swarm.Message;
import dev.kadmesh.p2p.swarm.MessageSink;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The messages of one protocol registered through the API, fanned out to its subscribers in
 * arrival order. While nobody is subscribed, messages wait in a bounded backlog (oldest dropped
 * first) and go to the next subscriber.
 */
final class ProtocolChannel implements MessageSink {
  private final String protocol;
  private final int backlogCapacity;
  private final long backlogMaxBytes;
  private final ArrayDeque<Message> backlog = new ArrayDeque<>();
  private long backlogBytes;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong backlogDropped = new AtomicLong();
  private final Runnable onOverflow;

  ProtocolChannel(String protocol, int backlogCapacity, long backlogMaxBytes,
      Runnable onOverflow) {
    this.protocol = protocol;
    this.backlogCapacity = backlogCapacity;
    this.backlogMaxBytes = backlogMaxBytes;
    this.onOverflow = onOverflow;
  }

  String protocol() {
    return protocol;
  }

  @Override
  public synchronized boolean accept(Message message) {
    received.incrementAndGet();
    if (subscribers.isEmpty()) {
      backlog.addLast(message);
      backlogBytes += message.data().length;
      while (backlog.size() > backlogCapacity
          || (backlogBytes > backlogMaxBytes && backlog.size() > 1)) {
        backlogBytes -= backlog.pollFirst().data().length;
        backlogDropped.incrementAndGet();
        onOverflow.run();
      }
      return true;
    }
    for (Subscriber s : subscribers) {
      s.offer(message);
    }
    return true;
  }

  /** Adds {@code subscriber}; the backlog, if any, is handed to it first. */
  synchronized void add(Subscriber subscriber) {
    Message m;
    while ((m = backlog.pollFirst()) != null) {
      subscriber.offer(m);
    }
    backlogBytes = 0;
    subscribers.add(subscriber);
  }

  synchronized void remove(Subscriber subscriber) {
    subscribers.remove(subscriber);
  }

  /** Ends every subscription with {@code reason} and drops the backlog. */
  void close(ApiException reason) {
    List<Subscriber> all;
    synchronized (this) {
      all = List.copyOf(subscribers);
      subscribers.clear();
      backlog.clear();
      backlogBytes = 0;
    }
    all.forEach(s -> s.end(reason));
  }

  /** Asks every subscriber to check its client is still there. */
  void keepAlive() {
    subscribers.forEach(Subscriber::keepAlive);
  }

  synchronized ProtocolInfo info() {
    long dropped = backlogDropped.get();
    int buffered = 0;
    for (Subscriber s : subscribers) {
      dropped += s.dropped();
      buffered += s.buffered();
    }
    return new ProtocolInfo(protocol, subscribers.size(), backlog.size(), buffered,
        received.get(), dropped);
  }
}

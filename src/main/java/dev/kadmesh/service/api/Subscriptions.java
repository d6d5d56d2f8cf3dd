package dev.kadmesh.service.api;

import dev.kadmesh.p2p.swarm.Message;
import dev.kadmesh.p2p.swarm.Swarm;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Protocols registered through the API and their subscribers. Each subscriber drains its own
 * buffer on a shared pool, one drain at a time per subscriber, so a blocked client holds one
 * thread and never the node. Thread-safe.
 */
public final class Subscriptions implements AutoCloseable {
  private final Swarm swarm;
  private final int bufferCapacity;
  private final long bufferBytes;
  private final int maxSubscribers;
  private final int maxProtocols;
  private final ConcurrentHashMap<String, ProtocolChannel> channels = new ConcurrentHashMap<>();
  private final AtomicInteger subscriberCount = new AtomicInteger();
  private final AtomicLong overflows = new AtomicLong();
  private final ExecutorService drains;
  private final ScheduledExecutorService keepAlives;
  private volatile boolean closed;

  /** What registering did: whether the protocol is new, and its state. */
  public record Registration(boolean created, ProtocolInfo protocol) {}

  /**
   * @param bufferCapacity messages buffered per subscriber, and per protocol while it has none
   * @param bufferBytes payload bytes buffered per subscriber, and per protocol while it has none
   * @param maxSubscribers subscriptions open at once, all protocols together
   * @param maxProtocols protocols registered through the API at once
   * @param keepAlive how often subscribers check their client is still there
   */
  public Subscriptions(Swarm swarm, int bufferCapacity, long bufferBytes, int maxSubscribers,
      int maxProtocols, Duration keepAlive) {
    this.swarm = swarm;
    this.bufferCapacity = bufferCapacity;
    this.bufferBytes = bufferBytes;
    this.maxSubscribers = maxSubscribers;
    this.maxProtocols = maxProtocols;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "kadmesh-subscriber-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.drains = Executors.newCachedThreadPool(threads);
    this.keepAlives = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kadmesh-subscriber-keepalive");
      t.setDaemon(true);
      return t;
    });
    keepAlives.scheduleWithFixedDelay(
        () -> channels.values().forEach(ProtocolChannel::keepAlive),
        keepAlive.toMillis(), keepAlive.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Messages buffered per subscriber. */
  public int bufferCapacity() {
    return bufferCapacity;
  }

  /** Payload bytes buffered per subscriber. */
  public long bufferBytes() {
    return bufferBytes;
  }

  /**
   * Registers {@code protocol} with the node so that its messages are kept for subscribers.
   *
   * @throws ApiException INVALID_ARGUMENT for a bad or reserved name, OVERLOADED beyond the limit
   */
  public synchronized Registration register(String protocol) {
    checkOpen();
    ProtocolNames.check(protocol);
    ProtocolChannel existing = channels.get(protocol);
    if (existing != null) {
      return new Registration(false, existing.info());
    }
    if (channels.size() >= maxProtocols) {
      throw new ApiException(ApiError.OVERLOADED,
          "at most " + maxProtocols + " protocols can be registered (kadmesh.api.max-protocols)");
    }
    ProtocolChannel channel =
        new ProtocolChannel(protocol, bufferCapacity, bufferBytes, overflows::incrementAndGet);
    try {
      swarm.registerProtocol(protocol, channel);
    } catch (IllegalStateException e) {
      throw new ApiException(ApiError.INVALID_ARGUMENT,
          "protocol '" + protocol + "' is used by the node itself and cannot be registered");
    } catch (IllegalArgumentException e) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, e.getMessage());
    }
    channels.put(protocol, channel);
    return new Registration(true, channel.info());
  }

  /**
   * Unregisters {@code protocol}: the node stops accepting its messages and every subscription to
   * it ends (told NOT_FOUND).
   *
   * @throws ApiException NOT_FOUND if it is not registered through the API
   */
  public void unregister(String protocol) {
    ProtocolChannel channel;
    synchronized (this) {
      channel = channels.remove(protocol);
      if (channel == null) {
        throw notRegistered(protocol);
      }
      swarm.unregisterProtocol(protocol);
    }
    channel.close(new ApiException(ApiError.NOT_FOUND,
        "protocol '" + protocol + "' was unregistered"));
  }

  /**
   * Starts delivering {@code protocol}'s messages to {@code subscriber}, registering the protocol
   * first if needed.
   *
   * @throws ApiException INVALID_ARGUMENT for a bad name, OVERLOADED beyond the subscriber limit
   */
  public void subscribe(String protocol, Subscriber subscriber) {
    if (subscriberCount.incrementAndGet() > maxSubscribers) {
      subscriberCount.decrementAndGet();
      throw new ApiException(ApiError.OVERLOADED,
          "at most " + maxSubscribers + " subscriptions can be open (kadmesh.api.max-subscribers)");
    }
    try {
      ProtocolChannel channel;
      synchronized (this) {
        register(protocol);
        channel = channels.get(protocol);
        subscriber.attach(drains, overflows::incrementAndGet, () -> {
          channel.remove(subscriber);
          subscriberCount.decrementAndGet();
        });
        channel.add(subscriber);
      }
    } catch (RuntimeException e) {
      subscriberCount.decrementAndGet();
      throw e;
    }
  }

  /**
   * Hands a message this node authored to the local subscribers of its protocol, as if it had
   * arrived from the network; nothing happens if the protocol is not registered here.
   */
  public void deliverLocally(Message message) {
    ProtocolChannel channel = channels.get(message.protocol());
    if (channel != null) {
      channel.accept(message);
    }
  }

  /** The protocols registered through the API, by name. */
  public List<ProtocolInfo> protocols() {
    return channels.values().stream().map(ProtocolChannel::info)
        .sorted(Comparator.comparing(ProtocolInfo::protocol)).toList();
  }

  public Optional<ProtocolInfo> protocol(String protocol) {
    return Optional.ofNullable(channels.get(protocol)).map(ProtocolChannel::info);
  }

  /** Subscriptions open now. */
  public int subscriberCount() {
    return subscriberCount.get();
  }

  /** Messages dropped because a subscriber's buffer or a backlog was full. */
  public long overflows() {
    return overflows.get();
  }

  /** Ends every subscription (told the node is shutting down) and stops the drain threads. */
  @Override
  public void close() {
    List<ProtocolChannel> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = List.copyOf(channels.values());
      channels.clear();
      all.forEach(c -> swarm.unregisterProtocol(c.protocol()));
    }
    keepAlives.shutdownNow();
    ApiException reason = new ApiException(ApiError.SHUTTING_DOWN, "node is shutting down");
    all.forEach(c -> c.close(reason));
    drains.shutdown(); // the end notices already queued still run
  }

  private void checkOpen() {
    if (closed) {
      throw new ApiException(ApiError.SHUTTING_DOWN, "node is shutting down");
    }
  }

  static ApiException notRegistered(String protocol) {
    return new ApiException(ApiError.NOT_FOUND, "protocol '" + protocol + "' is not registered");
  }
}

package dev.kadmesh.p2p.gossip;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message ids seen recently: at most {@code capacity} of them, each for at most {@code ttl}
 * milliseconds, oldest forgotten first. Memory stays flat under a flood of unique messages.
 * Thread-safe.
 */
final class SeenCache {
  private final int capacity;
  private final long ttlMillis;
  private final LinkedHashMap<ByteBuffer, Long> seen = new LinkedHashMap<>();
  private long evicted;

  SeenCache(int capacity, long ttlMillis) {
    this.capacity = capacity;
    this.ttlMillis = ttlMillis;
  }

  /** Records {@code id} at {@code now}; false if it was already there (a duplicate). */
  synchronized boolean add(byte[] id, long now) {
    expire(now);
    ByteBuffer key = ByteBuffer.wrap(id.clone());
    if (seen.containsKey(key)) {
      return false;
    }
    seen.put(key, now);
    if (seen.size() > capacity) {
      Iterator<Map.Entry<ByteBuffer, Long>> it = seen.entrySet().iterator();
      it.next();
      it.remove();
      evicted++;
    }
    return true;
  }

  synchronized int size() {
    return seen.size();
  }

  /** Ids forgotten before their time because the cache was full. */
  synchronized long evicted() {
    return evicted;
  }

  private void expire(long now) {
    Iterator<Map.Entry<ByteBuffer, Long>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      if (now - it.next().getValue() < ttlMillis) {
        return;
      }
      it.remove();
    }
  }
}

package dev.kadmesh.p2p.sim;

import java.util.function.LongPredicate;

/**
 * A map from non-negative longs to longs without boxing: open addressing with linear probing and
 * backward-shift deletion. The simulator keeps one entry per pair of nodes that ever exchanged a
 * message, millions at 10,000 nodes, so the boxed maps' 60-odd bytes per entry matter.
 * Not thread-safe (the simulator runs on one thread).
 */
final class LongLongMap {
  private static final long FREE = -1;

  private long[] keys;
  private long[] values;
  private int size;

  LongLongMap() {
    keys = new long[16];
    values = new long[16];
    java.util.Arrays.fill(keys, FREE);
  }

  int size() {
    return size;
  }

  /** The value of {@code key}, or {@code absent} when there is none. */
  long get(long key, long absent) {
    int i = find(key);
    return keys[i] == key ? values[i] : absent;
  }

  boolean containsKey(long key) {
    return keys[find(key)] == key;
  }

  void put(long key, long value) {
    if (key < 0) {
      throw new IllegalArgumentException("keys must not be negative");
    }
    int i = find(key);
    if (keys[i] != key) {
      if ((size + 1) * 4L > keys.length * 3L) {
        grow();
        i = find(key);
      }
      keys[i] = key;
      size++;
    }
    values[i] = value;
  }

  void remove(long key) {
    int i = find(key);
    if (keys[i] == key) {
      delete(i);
    }
  }

  /** Tests an entry. */
  interface EntryPredicate {
    boolean test(long key, long value);
  }

  /** Removes every entry whose key matches. */
  void removeKeys(LongPredicate matches) {
    removeEntries((key, value) -> matches.test(key));
  }

  /** Removes every entry that matches. */
  void removeEntries(EntryPredicate matches) {
    int i = 0;
    while (i < keys.length) {
      if (keys[i] != FREE && matches.test(keys[i], values[i])) {
        delete(i); // shifts a later entry into slot i: look at it again
      } else {
        i++;
      }
    }
  }

  /** The slot holding {@code key}, or the free slot where it would go. */
  private int find(long key) {
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (keys[i] != FREE && keys[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** Empties slot {@code i}, moving back later entries of its probe run so lookups still work. */
  private void delete(int i) {
    int mask = keys.length - 1;
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (keys[j] == FREE) {
        break;
      }
      int home = slot(keys[j], mask);
      // keys[j] may fill the hole if its home is not cyclically within (hole, j]
      boolean between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!between) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    keys[hole] = FREE;
    size--;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new long[oldKeys.length * 2];
    java.util.Arrays.fill(keys, FREE);
    for (int k = 0; k < oldKeys.length; k++) {
      if (oldKeys[k] != FREE) {
        int i = find(oldKeys[k]);
        keys[i] = oldKeys[k];
        values[i] = oldValues[k];
      }
    }
  }
}

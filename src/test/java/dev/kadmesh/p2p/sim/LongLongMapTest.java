package dev.kadmesh.p2p.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongLongMapTest {

  /** Random puts, removes and sweeps, checked against a HashMap after every step. */
  @Test
  void behavesLikeAHashMap() {
    Random random = new Random(1);
    LongLongMap map = new LongLongMap();
    Map<Long, Long> reference = new HashMap<>();
    for (int step = 0; step < 200_000; step++) {
      // few distinct keys, so probe runs collide, wrap around and are deleted from often
      long key = random.nextInt(5000) * 1_000_003L + random.nextInt(3);
      int op = random.nextInt(100);
      if (op < 60) {
        long value = random.nextLong();
        map.put(key, value);
        reference.put(key, value);
      } else if (op < 95) {
        map.remove(key);
        reference.remove(key);
      } else if (op == 99 && step % 7 == 0) {
        long cut = random.nextLong();
        map.removeEntries((k, v) -> v < cut);
        reference.values().removeIf(v -> v < cut);
      }
      assertThat(map.get(key, Long.MIN_VALUE)).isEqualTo(reference.getOrDefault(key, Long.MIN_VALUE));
      assertThat(map.containsKey(key)).isEqualTo(reference.containsKey(key));
      assertThat(map.size()).isEqualTo(reference.size());
    }
    for (Map.Entry<Long, Long> e : reference.entrySet()) {
      assertThat(map.get(e.getKey(), Long.MIN_VALUE)).isEqualTo(e.getValue());
    }
    map.removeKeys(k -> k % 2 == 0);
    reference.keySet().removeIf(k -> k % 2 == 0);
    assertThat(map.size()).isEqualTo(reference.size());
    reference.forEach((k, v) -> assertThat(map.get(k, Long.MIN_VALUE)).isEqualTo(v));
  }

  @Test
  void rejectsNegativeKeys() {
    assertThatThrownBy(() -> new LongLongMap().put(-1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

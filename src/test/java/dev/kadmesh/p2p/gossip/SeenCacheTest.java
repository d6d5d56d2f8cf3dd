package dev.kadmesh.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SeenCacheTest {
  private static byte[] id(long n) {
    return ByteBuffer.allocate(32).putLong(n).array();
  }

  @Test
  void aDuplicateIsRecognisedUntilItExpires() {
    SeenCache cache = new SeenCache(10, 1000);
    assertThat(cache.add(id(1), 0)).isTrue();
    assertThat(cache.add(id(1), 999)).isFalse();
    assertThat(cache.add(id(1), 1000)).isTrue();
  }

  @Test
  void memoryStaysFlatUnderAFloodOfUniqueIds() {
    SeenCache cache = new SeenCache(1000, 60_000);
    for (long i = 0; i < 200_000; i++) {
      assertThat(cache.add(id(i), i / 100)).isTrue();
    }
    assertThat(cache.size()).isEqualTo(1000);
    assertThat(cache.evicted()).isEqualTo(199_000);
    // the newest are still remembered
    assertThat(cache.add(id(199_999), 2000)).isFalse();
  }
}

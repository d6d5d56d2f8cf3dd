package dev.kadmesh.p2p.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The XOR keyspace as properties over many generated ids (seeded, so a failure names a case that
 * reproduces): XOR distance is a metric, and the common prefix length, the distance order and the
 * numeric distance agree. Ids are full 256-bit ids (the word-wise code path) and short ones (the
 * byte-wise path); the ids of one case share a generated prefix, so close ids and equal ids come
 * up as often as far ones.
 */
class KeyspacePropertyTest {
  private static final int CASES = 5000;

  /** Three ids of one length that share a random number of leading bits with the first. */
  record Trio(DhtId a, DhtId b, DhtId c) {}

  private static void forEachTrio(long seed, Consumer<Trio> property) {
    int[] lengths = {32, 32, 32, 1, 3, 8, 20};
    for (int i = 0; i < CASES; i++) {
      Random random = new Random(seed * 1_000_003 + i);
      int len = lengths[random.nextInt(lengths.length)];
      byte[] a = new byte[len];
      byte[] b = new byte[len];
      byte[] c = new byte[len];
      random.nextBytes(a);
      random.nextBytes(b);
      random.nextBytes(c);
      Trio t = new Trio(DhtId.fromBytes(a), DhtId.fromBytes(sharing(a, b,
          random.nextInt(len * 8 + 1))), DhtId.fromBytes(sharing(a, c,
          random.nextInt(len * 8 + 1))));
      try {
        property.accept(t);
      } catch (AssertionError e) {
        throw new AssertionError("case " + i + " of seed " + seed + ": " + t, e);
      }
    }
  }

  /** {@code other} with its first {@code bits} bits replaced by those of {@code base}. */
  private static byte[] sharing(byte[] base, byte[] other, int bits) {
    byte[] out = other.clone();
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i & 7);
      out[i >>> 3] = (byte) ((out[i >>> 3] & ~mask) | (base[i >>> 3] & mask));
    }
    return out;
  }

  private static BigInteger distance(DhtId x, DhtId y) {
    return new BigInteger(1, x.xor(y).toBytes());
  }

  @Test
  void xorDistanceIsAMetric() {
    forEachTrio(1, KeyspacePropertyTest::metric);
  }

  private static void metric(Trio t) {
    assertThat(distance(t.a(), t.a())).isZero();
    assertThat(distance(t.a(), t.b())).isEqualTo(distance(t.b(), t.a()));
    assertThat(distance(t.a(), t.b()).signum() == 0).isEqualTo(t.a().equals(t.b()));
    assertThat(distance(t.a(), t.c()))
        .isLessThanOrEqualTo(distance(t.a(), t.b()).add(distance(t.b(), t.c())));
    // stronger than the triangle inequality: distances compose by XOR
    assertThat(t.a().xor(t.c())).isEqualTo(t.a().xor(t.b()).xor(t.b().xor(t.c())));
  }

  @Test
  void distanceOrderIsTheNumericOrderOfTheXor() {
    forEachTrio(2, KeyspacePropertyTest::order);
  }

  private static void order(Trio t) {
    int expected = distance(t.a(), t.b()).compareTo(distance(t.a(), t.c()));
    assertThat(Integer.signum(t.a().compareDistance(t.b(), t.c()))).isEqualTo(expected);
    assertThat(t.a().isCloser(t.b(), t.c())).isEqualTo(expected < 0);
    assertThat(Integer.signum(t.a().compareDistance(t.c(), t.b()))).isEqualTo(-expected);
  }

  @Test
  void aLongerCommonPrefixMeansCloser() {
    forEachTrio(3, KeyspacePropertyTest::prefix);
  }

  private static void prefix(Trio t) {
    int pb = t.a().commonPrefixLength(t.b());
    int pc = t.a().commonPrefixLength(t.c());
    if (pb > pc) {
      assertThat(t.a().isCloser(t.b(), t.c())).isTrue();
    } else if (pc > pb) {
      assertThat(t.a().isCloser(t.c(), t.b())).isTrue();
    }
    // the prefix length is the count of leading zero bits of the distance
    int bits = t.a().bitLength();
    assertThat(pb).isEqualTo(bits - distance(t.a(), t.b()).bitLength());
    assertThat(pb).isEqualTo(t.b().commonPrefixLength(t.a()));
  }

  @Test
  void bitsAreTheBytesMostSignificantFirst() {
    forEachTrio(4, KeyspacePropertyTest::bits);
  }

  private static void bits(Trio t) {
    byte[] bytes = t.a().toBytes();
    BigInteger value = new BigInteger(1, bytes);
    for (int i = 0; i < t.a().bitLength(); i++) {
      assertThat(t.a().bit(i)).isEqualTo(value.testBit(t.a().bitLength() - 1 - i));
    }
    assertThat(DhtId.fromBytes(bytes)).isEqualTo(t.a()).hasSameHashCodeAs(t.a());
  }
}

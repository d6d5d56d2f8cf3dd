package dev.kadmesh.p2p.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kadmesh.p2p.crypto.Hashes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The worked 24-bit example of the architecture doc, checked by hand. The doc truncates
 * SHA-256("123"), SHA-256("567") and SHA-256("789") to three bytes. Its hex values are right; some
 * of its printed binary strings are not:
 *
 * <pre>
 * a665a4 = 1010 0110 0110 0101 1010 0100   (the doc prints 23 digits that are not this value)
 * 97a6d2 = 1001 0111 1010 0110 1101 0010   (printed correctly)
 * 35a9e3 = 0011 0101 1010 1001 1110 0011   (printed without its two leading zeros)
 * a665a4 ^ 97a6d2 = 31c376 = 0011 0001 1100 0011 0111 0110 -> 2 leading zeros
 *     (the doc's binary "110001110000111110110" is not 31c376)
 * a665a4 ^ 35a9e3 = 93cc47 = 1001 0011 1100 1100 0100 0111 -> 0 leading zeros
 *     (the doc repeats the previous, wrong, binary string here)
 * </pre>
 *
 * So the common prefix lengths are 2 and 0, and "567" is closer to "123" than "789" is.
 */
class DhtIdTest {

  private static DhtId truncatedHash(String s) {
    byte[] h = Hashes.sha256(s.getBytes(StandardCharsets.US_ASCII));
    return DhtId.fromBytes(Arrays.copyOf(h, 3));
  }

  @Test
  void seedExampleIdsAreTheFirstThreeBytesOfSha256() {
    assertThat(truncatedHash("123")).isEqualTo(DhtId.fromHex("a665a4"));
    assertThat(truncatedHash("567")).isEqualTo(DhtId.fromHex("97a6d2"));
    assertThat(truncatedHash("789")).isEqualTo(DhtId.fromHex("35a9e3"));
  }

  @Test
  void seedExampleXorAndCommonPrefixLengths() {
    DhtId a = DhtId.fromHex("a665a4");
    DhtId b = DhtId.fromHex("97a6d2");
    DhtId c = DhtId.fromHex("35a9e3");
    assertThat(a.xor(b)).isEqualTo(DhtId.fromHex("31c376"));
    assertThat(a.commonPrefixLength(b)).isEqualTo(2);
    assertThat(a.xor(c)).isEqualTo(DhtId.fromHex("93cc47"));
    assertThat(a.commonPrefixLength(c)).isZero();
    assertThat(a.isCloser(b, c)).isTrue();
    assertThat(a.isCloser(c, b)).isFalse();
    assertThat(a.compareDistance(b, c)).isNegative();
  }

  @Test
  void xorIsSymmetricAndZeroOnlyForEqualIds() {
    DhtId a = DhtId.fromHex("a665a4");
    DhtId b = DhtId.fromHex("97a6d2");
    assertThat(a.xor(b)).isEqualTo(b.xor(a));
    assertThat(a.xor(a)).isEqualTo(DhtId.fromHex("000000"));
    assertThat(a.commonPrefixLength(a)).isEqualTo(24);
    assertThat(a.compareDistance(b, b)).isZero();
  }

  @Test
  void commonPrefixLengthCountsLeadingEqualBitsAcrossBytes() {
    DhtId zero = DhtId.fromHex("0000");
    assertThat(zero.commonPrefixLength(DhtId.fromHex("8000"))).isZero();
    assertThat(zero.commonPrefixLength(DhtId.fromHex("4000"))).isEqualTo(1);
    assertThat(zero.commonPrefixLength(DhtId.fromHex("0100"))).isEqualTo(7);
    assertThat(zero.commonPrefixLength(DhtId.fromHex("0080"))).isEqualTo(8);
    assertThat(zero.commonPrefixLength(DhtId.fromHex("0001"))).isEqualTo(15);
  }

  @Test
  void idsOfDifferentLengthsAreNotCompared() {
    assertThatThrownBy(() -> DhtId.fromHex("00").xor(DhtId.fromHex("0000")))
        .hasMessageContaining("different lengths");
    assertThatThrownBy(() -> DhtId.fromHex("zz")).hasMessageContaining("not a hex id");
  }

  /**
   * Full-length ids compare 64-bit words at a time: the result must be the numeric order of the
   * XOR distances, including ids that differ only in their last bit or share a long prefix.
   */
  @Test
  void fullLengthIdsAgreeWithTheNumericXorDistance() {
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 2000; i++) {
      byte[] t = new byte[DhtId.LENGTH];
      random.nextBytes(t);
      byte[] a = t.clone();
      byte[] b = t.clone();
      int from = random.nextInt(DhtId.LENGTH); // share a random number of leading bytes
      for (int j = from; j < DhtId.LENGTH; j++) {
        a[j] = (byte) random.nextInt();
        b[j] = (byte) random.nextInt();
      }
      if (i % 10 == 0) {
        b = a.clone();
        b[DhtId.LENGTH - 1] ^= 1;
      }
      DhtId target = DhtId.fromBytes(t);
      DhtId ia = DhtId.fromBytes(a);
      DhtId ib = DhtId.fromBytes(b);
      java.math.BigInteger da = new java.math.BigInteger(1, t).xor(new java.math.BigInteger(1, a));
      java.math.BigInteger db = new java.math.BigInteger(1, t).xor(new java.math.BigInteger(1, b));
      assertThat(Integer.signum(target.compareDistance(ia, ib)))
          .isEqualTo(da.compareTo(db));
      java.math.BigInteger x = new java.math.BigInteger(1, a).xor(new java.math.BigInteger(1, b));
      assertThat(ia.commonPrefixLength(ib)).isEqualTo(256 - x.bitLength());
    }
    DhtId any = DhtId.fromBytes(new byte[DhtId.LENGTH]);
    assertThat(any.commonPrefixLength(any)).isEqualTo(256);
    assertThat(any.compareDistance(any, any)).isZero();
  }
}

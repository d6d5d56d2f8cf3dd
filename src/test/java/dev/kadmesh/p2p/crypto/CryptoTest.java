package dev.kadmesh.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CryptoTest {
  private final SecureRandom random = new SecureRandom(new byte[] {1});

  @Test
  void privateKeyOneHasTheGeneratorAsPublicKey() {
    byte[] one = new byte[32];
    one[31] = 1;
    PrivateKey key = PrivateKey.fromBytes(one);
    assertThat(HexFormat.of().formatHex(key.publicKey().toBytes()))
        .isEqualTo("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  }

  @Test
  void signatureVerifiesOnlyForItsDigestAndKey() {
    PrivateKey key = PrivateKey.generate(random);
    PrivateKey other = PrivateKey.generate(random);
    byte[] digest = Hashes.sha256("hello".getBytes(StandardCharsets.UTF_8));
    byte[] sig = key.sign(digest);
    assertThat(sig).hasSize(64);
    assertThat(key.publicKey().verify(digest, sig)).isTrue();
    assertThat(other.publicKey().verify(digest, sig)).isFalse();
    byte[] otherDigest = Hashes.sha256("hellp".getBytes(StandardCharsets.UTF_8));
    assertThat(key.publicKey().verify(otherDigest, sig)).isFalse();
    for (int i = 0; i < 64; i++) {
      byte[] tampered = sig.clone();
      tampered[i] ^= 0x01;
      assertThat(key.publicKey().verify(digest, tampered)).as("flip in byte %d", i).isFalse();
    }
  }

  @Test
  void highSSignatureIsRejectedSoEachSignatureHasOneEncoding() {
    PrivateKey key = PrivateKey.generate(random);
    byte[] digest = Hashes.sha256(new byte[] {7});
    byte[] sig = key.sign(digest);
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
    assertThat(s).isLessThanOrEqualTo(Secp256k1.HALF_N);
    byte[] high = sig.clone();
    System.arraycopy(Secp256k1.toBytes32(Secp256k1.N.subtract(s)), 0, high, 32, 32);
    assertThat(key.publicKey().verify(digest, high)).isFalse();
  }

  @Test
  void ecdhGivesBothSidesTheSameSecret() {
    PrivateKey a = PrivateKey.generate(random);
    PrivateKey b = PrivateKey.generate(random);
    assertThat(a.agree(b.publicKey())).isEqualTo(b.agree(a.publicKey())).hasSize(32);
  }

  @Test
  void privateKeyRoundTripsAndRejectsOutOfRangeScalars() {
    PrivateKey key = PrivateKey.generate(random);
    assertThat(PrivateKey.fromBytes(key.toBytes()).publicKey()).isEqualTo(key.publicKey());
    assertThatThrownBy(() -> PrivateKey.fromBytes(new byte[32])).hasMessageContaining("range");
    assertThatThrownBy(() -> PrivateKey.fromBytes(Secp256k1.toBytes32(Secp256k1.N)))
        .hasMessageContaining("range");
    assertThatThrownBy(() -> PrivateKey.fromBytes(new byte[31])).hasMessageContaining("32 bytes");
    assertThat(key.toString()).doesNotContain(HexFormat.of().formatHex(key.toBytes()));
  }

  @Test
  void publicKeyDecodingNamesTheProblem() {
    assertThatThrownBy(() -> PublicKey.fromBytes(new byte[32]))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("33 bytes");
    byte[] badPrefix = new byte[33];
    badPrefix[0] = 0x04;
    assertThatThrownBy(() -> PublicKey.fromBytes(badPrefix)).hasMessageContaining("compressed");
    // x = 5 has no point on secp256k1 (5^3 + 7 = 132 is not a square mod p).
    byte[] notOnCurve = new byte[33];
    notOnCurve[0] = 0x02;
    notOnCurve[32] = 5;
    assertThatThrownBy(() -> PublicKey.fromBytes(notOnCurve)).hasMessageContaining("not a point");
  }

  @Test
  void base58MatchesKnownVectorsAndKeepsLeadingZeros() {
    assertThat(Base58.encode("Hello World!".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("2NEpo7TZRRrLZSi2U");
    assertThat(Base58.encode(new byte[] {0, 0, 1})).isEqualTo("112");
    assertThat(Base58.decode("112")).containsExactly(0, 0, 1);
    assertThat(Base58.decode("2NEpo7TZRRrLZSi2U"))
        .isEqualTo("Hello World!".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> Base58.decode("abc0")).hasMessageContaining("'0' at position 3");
    assertThatThrownBy(() -> Base58.decode("")).hasMessageContaining("empty");
  }

  @Test
  void hkdfMatchesRfc5869TestCase1() {
    HexFormat hex = HexFormat.of();
    byte[] okm =
        Hkdf.derive(
            hex.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
            hex.parseHex("000102030405060708090a0b0c"),
            hex.parseHex("f0f1f2f3f4f5f6f7f8f9"),
            42);
    assertThat(hex.formatHex(okm))
        .isEqualTo(
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @Test
  void aeadOpensInOrderAndRejectsTamperingReplayAndReordering() throws Exception {
    byte[] key = new byte[32];
    random.nextBytes(key);
    AeadCipher sender = new AeadCipher(key);
    AeadCipher receiver = new AeadCipher(key);
    byte[] c0 = sender.seal("first".getBytes(StandardCharsets.UTF_8));
    byte[] c1 = sender.seal("second".getBytes(StandardCharsets.UTF_8));
    assertThat(c0).hasSize(5 + AeadCipher.TAG_LENGTH);
    assertThat(new String(receiver.open(c0), StandardCharsets.UTF_8)).isEqualTo("first");
    // c0 again (a replay) is checked against nonce 1 and fails.
    assertThatThrownBy(() -> receiver.open(c0)).isInstanceOf(AeadException.class);

    AeadCipher fresh = new AeadCipher(key);
    assertThatThrownBy(() -> fresh.open(c1)).isInstanceOf(AeadException.class);

    AeadCipher tamperedReceiver = new AeadCipher(key);
    byte[] flipped = c0.clone();
    flipped[2] ^= 0x40;
    assertThatThrownBy(() -> tamperedReceiver.open(flipped)).isInstanceOf(AeadException.class);
  }

  @Test
  void aeadOnBuffersMatchesAeadOnArrays() throws Exception {
    byte[] key = new byte[32];
    random.nextBytes(key);
    AeadCipher arrays = new AeadCipher(key);
    AeadCipher buffers = new AeadCipher(key);
    byte[] message = "a message for a network buffer".getBytes(StandardCharsets.UTF_8);
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect(100);
    out.position(4);
    buffers.seal(message, out);
    assertThat(out.position()).isEqualTo(4 + message.length + AeadCipher.TAG_LENGTH);
    byte[] sealed = new byte[message.length + AeadCipher.TAG_LENGTH];
    out.flip().position(4);
    out.get(sealed);
    assertThat(sealed).isEqualTo(arrays.seal(message)); // same key, same counter

    AeadCipher receiver = new AeadCipher(key);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.allocateDirect(sealed.length).put(sealed).flip();
    assertThat(receiver.open(in)).isEqualTo(message);
    sealed[3] ^= 1;
    java.nio.ByteBuffer tampered =
        java.nio.ByteBuffer.allocateDirect(sealed.length).put(sealed).flip();
    assertThatThrownBy(() -> new AeadCipher(key).open(tampered)).isInstanceOf(AeadException.class);
    assertThatThrownBy(() -> receiver.open(java.nio.ByteBuffer.allocate(15)))
        .isInstanceOf(AeadException.class);
    assertThatThrownBy(() -> arrays.seal(message, java.nio.ByteBuffer.allocate(message.length)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

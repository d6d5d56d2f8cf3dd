package dev.kadmesh.p2p.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ClusterKeysTest {
  private static final String SECRET = "a shared secret of at least thirty-two bytes";

  /** RFC 5869 HKDF-SHA256 with the JDK's HMAC, independent of the code under test. */
  private static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update(info);
    mac.update((byte) 1);
    return mac.doFinal(); // 32 bytes: one block
  }

  @Test
  void theKeyIsHkdfOfTheSecretAndTheOrdinal() throws Exception {
    byte[] info = ByteBuffer.allocate(8).putInt(7).putInt(0).array();
    byte[] expected = hkdf(SECRET.getBytes(StandardCharsets.UTF_8),
        "kadmesh-cluster-key-v1".getBytes(StandardCharsets.US_ASCII), info);

    assertThat(new ClusterKeys(SECRET).privateKey(7).toBytes()).isEqualTo(expected);
  }

  @Test
  void everyNodeComputesTheSameIdsAndOrdinalsDiffer() {
    ClusterKeys a = new ClusterKeys(SECRET);
    ClusterKeys b = new ClusterKeys(SECRET);
    assertThat(a.id(0)).isEqualTo(b.id(0));
    assertThat(a.id(0)).isNotEqualTo(a.id(1));
    assertThat(new ClusterKeys(SECRET + "!").id(0)).isNotEqualTo(a.id(0));
    assertThat(a.id(3)).isEqualTo(NodeId.of(a.privateKey(3).publicKey()));
  }

  @Test
  void aShortSecretIsRefused() {
    assertThatThrownBy(() -> new ClusterKeys("too short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cluster secret must be at least 32 bytes, got 9");
  }

  @Test
  void ordinalsComeFromNumbersOrPodNames() {
    assertThat(ClusterKeys.parseOrdinal("4")).isEqualTo(4);
    assertThat(ClusterKeys.parseOrdinal("kadmesh-12")).isEqualTo(12);
    assertThat(ClusterKeys.parseOrdinal("my-release-kadmesh-0")).isZero();
    for (String bad : new String[] {null, "", "kadmesh", "kadmesh-", "kadmesh-x1", "-1x",
        "kadmesh-12345678901"}) {
      assertThatThrownBy(() -> ClusterKeys.parseOrdinal(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("a StatefulSet pod name");
    }
  }
}

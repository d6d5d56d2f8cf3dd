package dev.kadmesh.p2p.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalNodeTest {
  private final SecureRandom random = new SecureRandom();
  @TempDir Path dir;

  @Test
  void aPersistedIdentityIsLoadedAgain() throws Exception {
    Path data = dir.resolve("data");
    LocalNode first = LocalNode.loadOrCreate(data, true, "127.0.0.1", 7513, random);
    LocalNode second = LocalNode.loadOrCreate(data, true, "127.0.0.1", 7514, random);
    assertThat(second.id()).isEqualTo(first.id());
    Path file = LocalNode.keyFile(data);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var files = Files.list(data)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void withoutPersistenceNothingIsWritten() {
    Path data = dir.resolve("data");
    LocalNode a = LocalNode.loadOrCreate(data, false, "127.0.0.1", 1, random);
    LocalNode b = LocalNode.loadOrCreate(data, false, "127.0.0.1", 1, random);
    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(Files.exists(data)).isFalse();
  }

  @Test
  void aCorruptKeyFileIsAClearErrorAndIsNotOverwritten() throws Exception {
    Files.createDirectories(dir);
    Path file = LocalNode.keyFile(dir);
    Files.writeString(file, "kadmesh-secp256k1-v1\nnot-hex\n", StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> LocalNode.loadOrCreate(dir, true, "127.0.0.1", 1, random))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("corrupt");
    assertThat(Files.readString(file)).isEqualTo("kadmesh-secp256k1-v1\nnot-hex\n");

    Files.writeString(file, "garbage", StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> LocalNode.loadOrCreate(dir, true, "127.0.0.1", 1, random))
        .hasMessageContaining("corrupt");
    Files.writeString(file, "kadmesh-secp256k1-v1\n" + "00".repeat(32), StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> LocalNode.loadOrCreate(dir, true, "127.0.0.1", 1, random))
        .hasMessageContaining("out of the secp256k1 scalar range");
  }

  @Test
  void anUnreadableKeyFileIsAClearError() throws Exception {
    Path file = LocalNode.keyFile(dir);
    Files.createDirectories(file); // a directory where the file should be cannot be read
    assertThatThrownBy(() -> LocalNode.loadOrCreate(dir, true, "127.0.0.1", 1, random))
        .isInstanceOf(IdentityException.class)
        .hasMessageContaining("cannot read node key file");
  }
}

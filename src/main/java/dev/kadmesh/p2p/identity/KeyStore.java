package dev.kadmesh.p2p.identity;

import dev.kadmesh.p2p.crypto.PrivateKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes the node key file {@code <dataDir>/node.key}: two lines, {@code
 * kadmesh-secp256k1-v1} and the 32-byte private scalar in hex. Writes are atomic (temporary file,
 * fsync, rename) with owner-only permissions. An existing file is never overwritten.
 */
final class KeyStore {
  static final String FILE_NAME = "node.key";
  private static final String HEADER = "kadmesh-secp256k1-v1";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  private final Path file;

  KeyStore(Path dataDir) {
    this.file = dataDir.resolve(FILE_NAME);
  }

  Path file() {
    return file;
  }

  /** The stored key, or empty when there is no key file. Any other problem is an error. */
  Optional<PrivateKey> load() {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IdentityException("cannot read node key file " + file + ": " + e, e);
    }
    List<String> content = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    if (content.size() != 2 || !HEADER.equals(content.get(0))) {
      throw new IdentityException(
          "node key file "
              + file
              + " is corrupt: expected the line '"
              + HEADER
              + "' followed by a hex key. Restore it from a backup, or move it away to create a"
              + " new identity.");
    }
    try {
      return Optional.of(PrivateKey.fromBytes(HexFormat.of().parseHex(content.get(1))));
    } catch (IllegalArgumentException e) {
      throw new IdentityException(
          "node key file "
              + file
              + " is corrupt: "
              + e.getMessage()
              + ". Restore it from a backup, or move it away to create a new identity.",
          e);
    }
  }

  /** Stores {@code key} atomically; fails if a key file already exists. */
  void save(PrivateKey key) {
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    Path tmp = null;
    try {
      if (!Files.isDirectory(dir)) {
        if (posix) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } else {
          Files.createDirectories(dir);
        }
      }
      FileAttribute<?>[] attrs =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
              : new FileAttribute<?>[0];
      tmp = Files.createTempFile(dir, FILE_NAME, ".tmp", attrs);
      byte[] content =
          (HEADER + "\n" + HexFormat.of().formatHex(key.toBytes()) + "\n")
              .getBytes(StandardCharsets.US_ASCII);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(content));
        ch.force(true);
      }
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
      tmp = null;
    } catch (FileAlreadyExistsException e) {
      throw new IdentityException("refusing to overwrite existing node key file " + file, e);
    } catch (IOException e) {
      throw new IdentityException("cannot write node key file " + file + ": " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file holds no identity anyone uses
        }
      }
    }
  }
}

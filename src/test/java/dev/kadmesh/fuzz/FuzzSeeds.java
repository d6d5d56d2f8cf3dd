package dev.kadmesh.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The committed starting inputs of a fuzz test: valid messages the fuzzer mutates from, in the
 * folder Jazzer reads ({@code src/test/resources/<package>/<Class>Inputs/<method>/}), where they
 * also run as regression inputs. Each fuzz test checks that its seeds are still what a valid
 * message looks like today; {@code -Dkadmesh.fuzz.writeSeeds=true} rewrites them after a wire
 * change.
 */
public final class FuzzSeeds {
  private FuzzSeeds() {}

  /**
   * Randomness that gives the same bytes on every run (SHA1PRNG seeded before first use), for
   * keys and nonces that committed inputs depend on.
   */
  public static java.security.SecureRandom deterministic(int seed) {
    try {
      java.security.SecureRandom r = java.security.SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(new byte[] {(byte) (seed >>> 24), (byte) (seed >>> 16), (byte) (seed >>> 8),
          (byte) seed, 'k', 'a', 'd'});
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fails unless the committed seed {@code name} of {@code test}'s {@code method} is {@code bytes}. */
  public static void check(Class<?> test, String method, String name, byte[] bytes) {
    String resource = test.getSimpleName() + "Inputs/" + method + "/" + name;
    if (Boolean.getBoolean("kadmesh.fuzz.writeSeeds")) {
      Path file = Path.of("src/test/resources", test.getPackageName().replace('.', '/'), resource);
      try {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    byte[] committed;
    try (InputStream in = test.getResourceAsStream(resource)) {
      assertThat(in).as("seed %s is missing: run this test with -Dkadmesh.fuzz.writeSeeds=true",
          resource).isNotNull();
      committed = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(committed).as("seed %s is out of date: run this test with"
        + " -Dkadmesh.fuzz.writeSeeds=true", resource).isEqualTo(bytes);
  }
}

package dev.kadmesh.bench;

import dev.kadmesh.p2p.crypto.AeadCipher;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The session cipher (AES-256-GCM, implicit counter nonce) beside the JDK's AES-GCM alone. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AeadBench {
  @Param({"256", "65536"})
  public int size;

  private byte[] plaintext;
  private AeadCipher sealer;
  private AeadCipher pairedSealer;
  private AeadCipher opener;
  private Cipher jdk;
  private SecretKeySpec key;
  private final byte[] iv = new byte[12];
  private long counter;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    SecureRandom random = new SecureRandom();
    plaintext = new byte[size];
    random.nextBytes(plaintext);
    byte[] k = new byte[32];
    random.nextBytes(k);
    sealer = new AeadCipher(k);
    pairedSealer = new AeadCipher(k);
    opener = new AeadCipher(k);
    key = new SecretKeySpec(k, "AES");
    jdk = Cipher.getInstance("AES/GCM/NoPadding");
  }

  /** Kadmesh's cipher. */
  @Benchmark
  public byte[] aeadSeal() {
    return sealer.seal(plaintext);
  }

  /** Seal, then open at the other end (the same work as a message crossing a session). */
  @Benchmark
  public byte[] sealOpen() throws Exception {
    return opener.open(pairedSealer.seal(plaintext));
  }

  /** Baseline: the JDK's AES-256-GCM on the same input, nonce set by hand. */
  @Benchmark
  public byte[] jdkGcmSeal() throws Exception {
    long n = ++counter;
    for (int b = 0; b < 8; b++) {
      iv[11 - b] = (byte) (n >>> (8 * b));
    }
    jdk.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
    return jdk.doFinal(plaintext);
  }
}

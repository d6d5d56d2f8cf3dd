package dev.kadmesh.bench;

import dev.kadmesh.p2p.crypto.Hashes;
import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.crypto.PublicKey;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The secp256k1 operations a handshake needs: the baseline of the handshake's own figure. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CryptoBench {
  private final SecureRandom random = new SecureRandom();
  private PrivateKey alice;
  private PrivateKey bob;
  private byte[] digest;
  private byte[] signature;


  @Setup(Level.Trial)
  public void setUp() {
    alice = PrivateKey.generate(random);
    bob = PrivateKey.generate(random);
    digest = Hashes.sha256("kadmesh".getBytes());
    signature = alice.sign(digest);
  }

  @Benchmark
  public byte[] sign() {
    return alice.sign(digest);
  }

  @Benchmark
  public boolean verify() {
    return alice.publicKey().verify(digest, signature);
  }

  @Benchmark
  public byte[] ecdh() {
    return alice.agree(bob.publicKey());
  }

  @Benchmark
  public PublicKey keygen() {
    return PrivateKey.generate(random).publicKey();
  }
}

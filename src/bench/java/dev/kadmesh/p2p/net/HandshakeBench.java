package dev.kadmesh.p2p.net;

import dev.kadmesh.p2p.crypto.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Both sides of a full handshake in memory: the CPU one connection costs, without I/O. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBench {
  private final SecureRandom random = new SecureRandom();
  private PrivateKey alice;
  private PrivateKey bob;
  private HandshakeConfig config;

  @Setup(Level.Trial)
  public void setUp() {
    alice = PrivateKey.generate(random);
    bob = PrivateKey.generate(random);
    config = new HandshakeConfig(1, "kadmesh/0.1.0", Duration.ofSeconds(60),
        System::currentTimeMillis, random);
  }

  @Benchmark
  public Object handshake() throws Exception {
    Handshake i = Handshake.initiator(config, alice, bob.publicKey());
    Handshake r = Handshake.responder(config, bob);
    byte[] resp = r.handle(i.firstMessage()).orElseThrow();
    byte[] fin = i.handle(resp).orElseThrow();
    r.handle(fin);
    return r;
  }
}

package dev.kadmesh.bench;

import java.security.Security;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.concurrent.AsyncResult;
import org.apache.tuweni.crypto.SECP256K1;
import org.apache.tuweni.rlpx.RLPxConnection;
import org.apache.tuweni.rlpx.RLPxConnectionFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The peer comparison: Apache Tuweni's RLPx handshake (ECIES-encrypted auth and ack over
 * secp256k1), both sides in memory, as {@code HandshakeBench} does for Kadmesh's. Benchmark-only:
 * Tuweni is a test-scope dependency of the bench profile alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TuweniHandshakeBench {
  private SECP256K1.KeyPair initiator;
  private SECP256K1.KeyPair responder;

  @Setup(Level.Trial)
  public void setUp() {
    if (Security.getProvider("BC") == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
    initiator = SECP256K1.KeyPair.random();
    responder = SECP256K1.KeyPair.random();
  }

  /** One whole handshake: the initiator's auth, the responder's ack, both connections made. */
  @Benchmark
  public Object handshake() throws Exception {
    return connect(initiator, responder);
  }

  /** Both ends of a new RLPx connection: {initiator's, responder's}. */
  static RLPxConnection[] connect(SECP256K1.KeyPair initiator, SECP256K1.KeyPair responder)
      throws Exception {
    AtomicReference<RLPxConnection> responderEnd = new AtomicReference<>();
    RLPxConnection initiatorEnd = RLPxConnectionFactory.createHandshake(initiator,
        responder.publicKey(), auth -> {
          AtomicReference<Bytes> ack = new AtomicReference<>();
          responderEnd.set(RLPxConnectionFactory.respondToHandshake(auth, responder, ack::set));
          return AsyncResult.completed(ack.get());
        }).get();
    if (responderEnd.get() == null || initiatorEnd == null) {
      throw new IllegalStateException("RLPx handshake did not complete");
    }
    return new RLPxConnection[] {initiatorEnd, responderEnd.get()};
  }
}

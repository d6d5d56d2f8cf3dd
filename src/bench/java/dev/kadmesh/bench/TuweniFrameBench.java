package dev.kadmesh.bench;

import java.security.SecureRandom;
import java.security.Security;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.crypto.SECP256K1;
import org.apache.tuweni.rlpx.RLPxConnection;
import org.apache.tuweni.rlpx.RLPxMessage;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The peer comparison: one message framed by Tuweni's RLPx session (AES-CTR plus Keccak MACs) and
 * read back by the other end, as {@code AeadBench.sealOpen} does for Kadmesh's session cipher.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TuweniFrameBench {
  @Param({"256", "65536"})
  public int size;

  private RLPxConnection sender;
  private RLPxConnection receiver;
  private Bytes payload;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    if (Security.getProvider("BC") == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
    RLPxConnection[] ends = TuweniHandshakeBench.connect(SECP256K1.KeyPair.random(),
        SECP256K1.KeyPair.random());
    sender = ends[0];
    receiver = ends[1];
    byte[] bytes = new byte[size];
    new SecureRandom().nextBytes(bytes);
    payload = Bytes.wrap(bytes);
  }

  /** Frame (encrypt and MAC) one message, then check and decrypt it at the other end. */
  @Benchmark
  public Object sealOpen() {
    RLPxMessage read = receiver.readFrame(sender.write(new RLPxMessage(1, payload)));
    if (read == null) {
      throw new IllegalStateException("frame not read back");
    }
    return read;
  }
}

package dev.kadmesh.p2p.timesync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The drift check against small SNTP responders on loopback UDP. */
class ClockDriftCheckTest {
  private final List<Responder> responders = new ArrayList<>();
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  private final class Responder extends SntpResponder {
    Responder(long offsetMillis, boolean synchronised) throws SocketException {
      super(offsetMillis, synchronised);
      responders.add(this);
    }
  }

  @AfterEach
  void stop() {
    responders.forEach(Responder::close);
    executor.shutdownNow();
  }

  private ClockDriftCheck check(Duration maxDrift, InetSocketAddress... servers) {
    return new ClockDriftCheck(List.of(servers), maxDrift, Duration.ofMillis(1500),
        System::currentTimeMillis);
  }

  @Test
  void aClockInStepWithTheServersPasses() throws Exception {
    ClockDriftCheck.Result r = check(Duration.ofSeconds(1),
        new Responder(0, true).address(), new Responder(0, true).address()).run(executor);
    assertThat(r.checked()).isTrue();
    assertThat(r.withinLimit()).isTrue();
    assertThat(Math.abs(r.driftMillis())).isLessThan(500);
    assertThat(r.answered()).isEqualTo(2);
  }

  @Test
  void aClockFiveSecondsBehindTheServersFails() throws Exception {
    ClockDriftCheck.Result r = check(Duration.ofSeconds(1),
        new Responder(5000, true).address(), new Responder(5000, true).address(),
        new Responder(5000, true).address()).run(executor);
    assertThat(r.withinLimit()).isFalse();
    assertThat(r.driftMillis()).isBetween(4500L, 5500L);
    assertThat(r.describe()).contains("beyond the allowed limit");
  }

  @Test
  void theServersProcessingTimeIsNotTakenForClockOffset() throws Exception {
    SntpResponder slow = new SntpResponder(0, true, 600);
    try {
      ClockDriftCheck.Result r = check(Duration.ofSeconds(1), slow.address()).run(executor);
      assertThat(r.checked()).isTrue();
      // taking the transmit time alone, without the round trip, would read about 300 ms
      assertThat(Math.abs(r.driftMillis())).isLessThan(100);
    } finally {
      slow.close();
    }
  }

  @Test
  void anOutlierServerIsIgnored() throws Exception {
    ClockDriftCheck.Result r = check(Duration.ofSeconds(1),
        new Responder(0, true).address(), new Responder(0, true).address(),
        new Responder(3_600_000, true).address()).run(executor);
    assertThat(r.withinLimit()).isTrue();
    assertThat(Math.abs(r.driftMillis())).isLessThan(500);
  }

  @Test
  void silentAndUnsynchronisedServersAreReportedNotTrusted() throws Exception {
    DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    try {
      ClockDriftCheck.Result r = check(Duration.ofSeconds(1),
          (InetSocketAddress) silent.getLocalSocketAddress(),
          new Responder(0, false).address()).run(executor);
      assertThat(r.checked()).isFalse();
      assertThat(r.problems()).hasSize(2);
      assertThat(String.join(" ", r.problems())).contains("no answer").contains("not a synchronised");
    } finally {
      silent.close();
    }
  }

  @Test
  void withNoServersTheCheckIsOff() {
    ClockDriftCheck.Result r = check(Duration.ofSeconds(1)).run(executor);
    assertThat(r.checked()).isFalse();
    assertThat(r.withinLimit()).isTrue();
    assertThat(r.describe()).contains("off");
  }

  @Test
  void ntpTimestampsRoundTripToTheMillisecond() {
    byte[] b = new byte[8];
    for (long t : new long[] {0L, 1_800_000_000_123L, 1_234_567_890_999L}) {
      SntpClient.writeTimestamp(b, 0, t);
      assertThat(SntpClient.readTimestamp(b, 0)).isEqualTo(t);
    }
  }
}

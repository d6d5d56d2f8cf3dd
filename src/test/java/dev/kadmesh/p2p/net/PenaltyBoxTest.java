package dev.kadmesh.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PenaltyBoxTest {
  private long now = 1_000_000;
  private final PenaltyBox box = new PenaltyBox(1000, 60_000, () -> now);

  private static InetAddress ip(int last) throws Exception {
    return InetAddress.getByAddress(new byte[] {10, 0, (byte) (last >> 8), (byte) last});
  }

  @Test
  void eachOffenceDoublesTheRefusalUpToTheMaximum() throws Exception {
    InetAddress a = ip(1);
    assertThat(box.refuses(a)).isFalse();
    long[] expected = {1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000};
    for (long millis : expected) {
      assertThat(box.punish(a)).isEqualTo(millis);
      assertThat(box.refuses(a)).isTrue();
      now += millis - 1;
      assertThat(box.refuses(a)).isTrue();
      now += 1;
      assertThat(box.refuses(a)).isFalse();
    }
    assertThat(box.refuses(ip(2))).as("other addresses are not affected").isFalse();
  }

  @Test
  void anAddressThatStaysCleanLongEnoughStartsAfresh() throws Exception {
    InetAddress a = ip(1);
    box.punish(a);
    box.punish(a);
    now += 10 * 60_000 + 1;
    assertThat(box.punish(a)).isEqualTo(1000);
  }

  @Test
  void manyAddressesCannotGrowItBeyondItsCapacity() throws Exception {
    for (int i = 0; i < PenaltyBox.CAPACITY + 500; i++) {
      box.punish(ip(i));
    }
    assertThat(box.size()).isEqualTo(PenaltyBox.CAPACITY);
    assertThat(box.refuses(ip(PenaltyBox.CAPACITY + 499))).isTrue();
  }

  @Test
  void aZeroBaseTurnsPenaltiesOff() throws Exception {
    PenaltyBox off = new PenaltyBox(0, 0, () -> now);
    assertThat(off.punish(ip(1))).isZero();
    assertThat(off.refuses(ip(1))).isFalse();
  }

  @Test
  void onlyDeliberateViolationsArePunished() {
    assertThat(java.util.EnumSet.allOf(CloseReason.class).stream().filter(CloseReason::punished))
        .containsExactlyInAnyOrder(CloseReason.MALFORMED_HANDSHAKE, CloseReason.BAD_SIGNATURE,
            CloseReason.FRAME_TOO_LARGE, CloseReason.DECRYPT_FAILED,
            CloseReason.PROTOCOL_VIOLATION);
  }

  @Test
  void limitsAreChecked() {
    assertThatThrownBy(() -> NetLimits.defaults().withMaxInboundPerAddress(0))
        .hasMessageContaining("maxInboundPerAddress");
    assertThatThrownBy(() -> NetLimits.defaults().withPenalties(Duration.ofSeconds(5),
        Duration.ofSeconds(1))).hasMessageContaining("penaltyMax");
    assertThatThrownBy(() -> NetLimits.defaults().withRates(-1, 0))
        .hasMessageContaining("messagesPerSecond");
  }
}

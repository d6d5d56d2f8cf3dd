package dev.kadmesh.p2p.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.time.Scheduler;
import dev.kadmesh.p2p.time.VirtualScheduler;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class InFlightSendsTest {
  private static final long TIMEOUT = 1000;
  private final VirtualScheduler time = new VirtualScheduler(0);
  private int timers;
  private final Scheduler counting = new Scheduler() {
    @Override
    public long nowMillis() {
      return time.nowMillis();
    }

    @Override
    public long elapsedMillis() {
      return time.elapsedMillis();
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
      timers++;
      return time.schedule(task, delayMillis);
    }
  };
  private final InFlightSends sends = new InFlightSends(counting, TIMEOUT);
  private final NodeId peer = NodeId.of(PrivateKey.generate(new SecureRandom()).publicKey());

  @Test
  void sendsThatFinishInTimeShareOneTimerAndAreForgotten() {
    for (int i = 0; i < 1000; i++) {
      InFlightSends.Send s = sends.start(peer);
      sends.finish(s, null);
      assertThat(s).isCompleted();
    }
    assertThat(timers).isEqualTo(1);
    assertThat(sends.size()).isZero();
    time.advance(TIMEOUT);
    assertThat(timers).isEqualTo(1); // the sweep found nothing left and did not re-arm
  }

  @Test
  void eachUnfinishedSendFailsWithTimeoutAtItsDeadline() {
    InFlightSends.Send first = sends.start(peer);
    time.advance(400);
    InFlightSends.Send second = sends.start(peer);
    InFlightSends.Send done = sends.start(peer);
    sends.finish(done, null);

    time.advance(TIMEOUT - 400 - 1);
    assertThat(first).isNotDone();
    time.advance(1);
    assertThat(kind(first)).isEqualTo(SendFailure.Kind.TIMEOUT);
    assertThat(second).isNotDone();

    time.advance(400 - 1);
    assertThat(second).isNotDone();
    time.advance(1);
    assertThat(kind(second)).isEqualTo(SendFailure.Kind.TIMEOUT);
    assertThat(done).isCompleted();
    assertThat(sends.size()).isZero();
  }

  @Test
  void timeoutsCloseTogetherAreBatchedAtMostTheSweepGapLate() {
    List<InFlightSends.Send> started = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      started.add(sends.start(peer));
      time.advance(1);
    }
    // the first fails at its deadline; the next ones, 1 ms apart, in sweeps at most 10 ms apart
    time.advance(TIMEOUT - 100);
    assertThat(kind(started.get(0))).isEqualTo(SendFailure.Kind.TIMEOUT);
    time.advance(100 + 10);
    assertThat(started).allSatisfy(s -> assertThat(kind(s)).isEqualTo(SendFailure.Kind.TIMEOUT));
    assertThat(timers).isLessThanOrEqualTo(1 + 100 / 10 + 1);
  }

  @Test
  void aSendCompletedByItsCallerIsDroppedAtTheNextSweep() {
    InFlightSends.Send cancelled = sends.start(peer);
    cancelled.cancel(false);
    InFlightSends.Send open = sends.start(peer);
    assertThat(sends.pending()).containsExactly(open);
    time.advance(TIMEOUT);
    assertThat(cancelled).isCancelled();
    assertThat(kind(open)).isEqualTo(SendFailure.Kind.TIMEOUT);
  }

  @Test
  void aSendStartedAfterTheTimerWentIdleArmsItAgain() {
    sends.finish(sends.start(peer), null);
    time.advance(TIMEOUT); // the sweep finds nothing and disarms
    InFlightSends.Send late = sends.start(peer);
    time.advance(TIMEOUT - 1);
    assertThat(late).isNotDone();
    time.advance(1);
    assertThat(kind(late)).isEqualTo(SendFailure.Kind.TIMEOUT);
  }

  private static SendFailure.Kind kind(CompletableFuture<Void> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      return ((SendFailure) e.getCause()).kind();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}

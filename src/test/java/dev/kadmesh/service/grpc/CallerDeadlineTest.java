package dev.kadmesh.service.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallerDeadlineTest {
  @Test
  void theClientsDeadlineBoundsTheWaitAndNoDeadlineLeavesTheRequestTimeout() throws Exception {
    assertThat(NodeGrpcService.callerDeadline()).isNull();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      Context.CancellableContext call =
          Context.current().withDeadlineAfter(2, TimeUnit.SECONDS, timer);
      Duration left = call.call(NodeGrpcService::callerDeadline);
      call.cancel(null);
      assertThat(left).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2));
      Context.CancellableContext past =
          Context.current().withDeadlineAfter(-1, TimeUnit.SECONDS, timer);
      assertThat(past.call(NodeGrpcService::callerDeadline)).isZero();
      past.cancel(null);
    } finally {
      timer.shutdownNow();
    }
  }
}

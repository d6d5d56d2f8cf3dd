package dev.kadmesh.p2p.timesync;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Checks the local clock against several SNTP servers queried at once. Servers that do not answer
 * are ignored; with three or more answers the outliers (samples further than {@code maxDrift} from
 * the median) are dropped; the clock's drift is the median of the rest. Off when no server is
 * configured.
 */
public final class ClockDriftCheck {
  private final List<InetSocketAddress> servers;
  private final Duration maxDrift;
  private final Duration timeout;
  private final SntpClient client;

  /** The outcome of a check. */
  public record Result(
      boolean checked, boolean withinLimit, long driftMillis, int answered, List<String> problems) {

    /** A one-line description for logs and health details. */
    public String describe() {
      if (!checked) {
        return answered == 0 && problems.isEmpty()
            ? "clock check off (no SNTP servers configured)"
            : "clock not checked: no SNTP server answered " + problems;
      }
      return "clock drift " + driftMillis + " ms from " + answered + " SNTP server(s)"
          + (withinLimit ? "" : ", beyond the allowed limit");
    }
  }

  public ClockDriftCheck(
      List<InetSocketAddress> servers, Duration maxDrift, Duration timeout, LongSupplier clock) {
    if (maxDrift.isNegative() || maxDrift.isZero() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("maxDrift and timeout must be positive");
    }
    this.servers = List.copyOf(servers);
    this.maxDrift = maxDrift;
    this.timeout = timeout;
    this.client = new SntpClient(clock);
  }

  /** Queries every server concurrently on {@code executor}; blocks for at most about the timeout. */
  public Result run(Executor executor) {
    if (servers.isEmpty()) {
      return new Result(false, true, 0, 0, List.of());
    }
    List<CompletableFuture<Object>> queries = new ArrayList<>();
    for (InetSocketAddress server : servers) {
      queries.add(CompletableFuture.supplyAsync(() -> {
        try {
          return client.query(server, timeout);
        } catch (Exception e) {
          return server + ": " + e.getMessage();
        }
      }, executor));
    }
    List<SntpClient.Sample> samples = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (CompletableFuture<Object> q : queries) {
      Object r = q.join();
      if (r instanceof SntpClient.Sample s) {
        samples.add(s);
      } else {
        problems.add(String.valueOf(r));
      }
    }
    if (samples.isEmpty()) {
      return new Result(false, true, 0, 0, problems);
    }
    long drift = median(withoutOutliers(samples));
    return new Result(true, Math.abs(drift) <= maxDrift.toMillis(), drift, samples.size(), problems);
  }

  private List<SntpClient.Sample> withoutOutliers(List<SntpClient.Sample> samples) {
    if (samples.size() < 3) {
      return samples;
    }
    long median = median(samples);
    List<SntpClient.Sample> kept = samples.stream()
        .filter(s -> Math.abs(s.offsetMillis() - median) <= maxDrift.toMillis())
        .toList();
    return kept.isEmpty() ? samples : kept;
  }

  private static long median(List<SntpClient.Sample> samples) {
    List<Long> offsets = new ArrayList<>(samples.stream().map(SntpClient.Sample::offsetMillis).toList());
    offsets.sort(Comparator.naturalOrder());
    int n = offsets.size();
    return n % 2 == 1 ? offsets.get(n / 2) : (offsets.get(n / 2 - 1) + offsets.get(n / 2)) / 2;
  }
}

package dev.kadmesh.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * The seed's benchmark rows "Measure SendMessage to unknown after bootstrap" (plain, with
 * disconnects, message drops and message delay): per fault, the figures of many sends, each from
 * a node to a node that is in neither its routing table nor its connections, so the send needs a
 * lookup and a dial.
 */
public final class SeedRows {
  private SeedRows() {}

  /** The fault a phase runs under. */
  public enum Fault {
    NONE,
    DISCONNECTS,
    DROPS,
    DELAYS
  }

  /**
   * One row.
   *
   * @param network "simulator" or "real TCP"
   * @param nodes network size
   * @param shape bootnodes, k, bucket count and minimum table
   * @param fault the fault during the sends
   * @param faultDetail the fault's drawn parameters (seeded)
   * @param sends sends measured
   * @param successRate sends whose message arrived (retries included)
   * @param meanAttempts sends per delivered message (a lost message is sent again)
   * @param meanHops FindNode hops per send (lookup rounds, summed over its attempts)
   * @param meanRpcs FindNode requests per send
   * @param meanFailedRpcs FindNode requests per send that failed or timed out
   * @param meanTotalMillis send to arrival (virtual time on the simulator, wall time on TCP)
   * @param p90TotalMillis 90th percentile of the same
   * @param meanFindNodeMillis mean request-to-answer time of the FindNode requests answered
   */
  public record Row(String network, int nodes, String shape, Fault fault, String faultDetail,
      int sends, double successRate, double meanAttempts, double meanHops, double meanRpcs,
      double meanFailedRpcs, double meanTotalMillis, double p90TotalMillis,
      double meanFindNodeMillis) {}

  /** A sender and a target for one send. */
  public record Pair<N>(N sender, N target) {}

  /**
   * Picks a random sender and target among {@code up} such that {@code unknown(sender, target)};
   * if 1000 tries find none (small networks, where every table holds every node), picks any two
   * and makes the sender forget the target with {@code forget}.
   */
  public static <N> Pair<N> pick(List<N> up, Random random, BiPredicate<N, N> unknown,
      BiConsumer<N, N> forget) {
    for (int i = 0; i < 1000; i++) {
      N s = up.get(random.nextInt(up.size()));
      N t = up.get(random.nextInt(up.size()));
      if (s != t && unknown.test(s, t)) {
        return new Pair<>(s, t);
      }
    }
    N sender = up.get(random.nextInt(up.size()));
    N target;
    do {
      target = up.get(random.nextInt(up.size()));
    } while (target == sender);
    forget.accept(sender, target);
    return new Pair<>(sender, target);
  }

  /** A drawn 10-30 % of {@code nodes}, the ones a disconnect phase takes down. */
  public static <N> List<N> toTakeDown(List<N> nodes, Random random) {
    double share = 0.10 + 0.20 * random.nextDouble();
    List<N> shuffled = new java.util.ArrayList<>(nodes);
    java.util.Collections.shuffle(shuffled, random);
    return List.copyOf(shuffled.subList(0, (int) Math.round(share * nodes.size())));
  }

  /** Describes a disconnect phase: {@code down} of {@code of} non-bootnodes went away. */
  public static String downDetail(int down, int of, String how) {
    return String.format(java.util.Locale.ROOT, "%d of the %d non-bootnodes (%.0f %%, drawn from"
        + " 10-30 %%) %s, still in tables", down, of, 100.0 * down / of, how);
  }

  /** A drawn loss rate of 5-20 %. */
  public static double dropRate(Random random) {
    return 0.05 + 0.15 * random.nextDouble();
  }

  /** Collects the sends of one phase. */
  public static final class Phase {
    private final int capacity;
    private final double[] totals;
    private int sends;
    private int delivered;
    private long attempts;
    private long hops;
    private long rpcs;
    private long failedRpcs;
    private long answered;
    private long answerMillis;

    public Phase(int capacity) {
      this.capacity = capacity;
      this.totals = new double[capacity];
    }

    /**
     * Records one send: whether its message arrived, after how many attempts and how long, and
     * the lookups and FindNode answers it took.
     */
    public void add(boolean arrived, int sendAttempts, long totalMillis, long lookupRounds,
        long lookupRpcs, long lookupFailures, long findNodeAnswered, long findNodeMillis) {
      if (sends == capacity) {
        throw new IllegalStateException("more sends than the phase was sized for");
      }
      if (arrived) {
        totals[delivered++] = totalMillis;
      }
      sends++;
      attempts += sendAttempts;
      hops += lookupRounds;
      rpcs += lookupRpcs;
      failedRpcs += lookupFailures;
      answered += findNodeAnswered;
      answerMillis += findNodeMillis;
    }

    public Row row(String network, int nodes, String shape, Fault fault, String detail) {
      double[] t = Arrays.copyOf(totals, delivered);
      Arrays.sort(t);
      double mean = Arrays.stream(t).average().orElse(Double.NaN);
      double p90 = t.length == 0 ? Double.NaN : t[Math.min(t.length - 1, (int) (0.9 * t.length))];
      return new Row(network, nodes, shape, fault, detail, sends,
          delivered / (double) Math.max(1, sends), attempts / (double) Math.max(1, sends),
          hops / (double) Math.max(1, sends), rpcs / (double) Math.max(1, sends),
          failedRpcs / (double) Math.max(1, sends), mean, p90,
          answered == 0 ? Double.NaN : answerMillis / (double) answered);
    }
  }
}

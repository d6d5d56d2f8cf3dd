package dev.kadmesh.bench;

import dev.kadmesh.p2p.node.TcpScale;
import dev.kadmesh.p2p.node.TcpSeed;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark and writes BENCHMARKS.md (tables, command, machine) and
 * target/benchmarks.json. Each network figure is the median of several runs, shown with its
 * spread (min to max) and beside its baseline from the same run.
 *
 * <p>Options: {@code --quick} (fewer and shorter runs, to try the harness), {@code --runs=N}
 * (network runs per figure, default 5), {@code --only=jmh|net|service|sim|tcp}.
 */
public final class BenchmarkSuite {
  private final boolean quick;
  private final int runs;
  private final String only;
  private static final int HANDSHAKE_DIALERS = 4;
  private final List<Row> rows = new ArrayList<>();
  private final List<SimBench.Figures> sims = new ArrayList<>();
  private final List<TcpScale.Figures> tcps = new ArrayList<>();
  private final List<SeedRows.Row> seeds = new ArrayList<>();

  /** One line of the report: a figure, its baseline and their ratio. */
  record Row(String section, String name, String figure, String unit, double value, double min,
      double max, String baselineName, double baseline, String target) {

    double ratio() {
      return baseline == 0 ? Double.NaN : value / baseline;
    }
  }

  private BenchmarkSuite(String[] args) {
    List<String> a = Arrays.asList(args);
    quick = a.contains("--quick");
    runs = a.stream().filter(s -> s.startsWith("--runs=")).map(s -> Integer.parseInt(s.substring(7)))
        .findFirst().orElse(quick ? 2 : 5);
    only = a.stream().filter(s -> s.startsWith("--only=")).map(s -> s.substring(7)).findFirst()
        .orElse("all");
  }

  public static void main(String[] args) throws Exception {
    BenchmarkSuite suite = new BenchmarkSuite(args);
    if (suite.only.equals("all") || suite.only.equals("jmh")) {
      suite.jmh();
    }
    if (suite.only.equals("all") || suite.only.equals("net")) {
      suite.net();
    }
    if (suite.only.equals("all") || suite.only.equals("service")) {
      suite.service();
    }
    if (suite.only.equals("all") || suite.only.equals("sim")) {
      suite.sim();
    }
    if (suite.only.equals("all") || suite.only.equals("tcp")) {
      suite.tcp();
    }
    suite.write(String.join(" ", args));
  }

  // ---- micro-benchmarks ----

  private void jmh() throws Exception {
    Options options = new OptionsBuilder()
        .include("dev\\.kadmesh\\..*Bench\\..*")
        .forks(1)
        .warmupIterations(quick ? 1 : 5)
        .warmupTime(TimeValue.seconds(quick ? 1 : 2))
        .measurementIterations(quick ? 2 : 5)
        .measurementTime(TimeValue.seconds(quick ? 1 : 2))
        .threads(1)
        .build();
    Map<String, double[]> scores = new LinkedHashMap<>();
    for (RunResult r : new Runner(options).run()) {
      String name = r.getParams().getBenchmark().replaceAll(".*\\.(\\w+Bench\\.\\w+)$", "$1");
      String size = r.getParams().getParam("size");
      if (size != null) {
        name += "[" + size + "]";
      }
      var s = r.getPrimaryResult().getStatistics();
      scores.put(name, new double[] {s.getMean(), s.getMin(), s.getMax()});
    }
    Function<String, double[]> score = n -> {
      double[] v = scores.get(n);
      if (v == null) {
        throw new IllegalStateException("benchmark " + n + " has no result; see JMH's output");
      }
      return v;
    };
    for (String size : List.of("256", "65536")) {
      double[] ours = score.apply("AeadBench.aeadSeal[" + size + "]");
      double[] jdk = score.apply("AeadBench.jdkGcmSeal[" + size + "]");
      rows.add(new Row("Micro-benchmarks (JMH, ops/s)", "Session cipher seal, " + size + " B",
          "AeadCipher.seal", "ops/s", ours[0], ours[1], ours[2],
          "JDK AES-GCM alone (ratio ~1: the wrapper adds nothing)", jdk[0], ""));
    }
    double[] hs = score.apply("HandshakeBench.handshake");
    // one handshake needs, over both sides: 2 key generations, 2 signatures, 2 verifications,
    // 2 ECDH agreements
    double ecCost = 0;
    for (String op : List.of("keygen", "sign", "verify", "ecdh")) {
      ecCost += 2 / score.apply("CryptoBench." + op)[0];
    }
    rows.add(new Row("Micro-benchmarks (JMH, ops/s)", "Handshake, both sides in memory",
        "handshakes", "ops/s", hs[0], hs[1], hs[2], "bare EC operations it needs", 1 / ecCost,
        ""));
    for (String op : List.of("sign", "verify", "ecdh", "keygen")) {
      double[] s = score.apply("CryptoBench." + op);
      rows.add(new Row("Micro-benchmarks (JMH, ops/s)", "secp256k1 " + op, op, "ops/s", s[0],
          s[1], s[2], "", 0, ""));
    }
    for (String op : List.of("update", "nearest")) {
      double[] s = score.apply("RoutingTableBench." + op);
      rows.add(new Row("Micro-benchmarks (JMH, ops/s)", "Routing table " + op
          + " (2000 nodes, k = 20)", op, "ops/s", s[0], s[1], s[2], "", 0, ""));
    }
    String peer = "Peer comparison: Apache Tuweni RLPx 2.3.1, same JMH run (ops/s)";
    double[] tuweniHs = score.apply("TuweniHandshakeBench.handshake");
    rows.add(new Row(peer, "Handshake, both sides in memory", "handshake", "ops/s", hs[0], hs[1],
        hs[2], "Tuweni RLPx handshake (auth + ack, ECIES)", tuweniHs[0], ""));
    for (String size : List.of("256", "65536")) {
      double[] ours = score.apply("AeadBench.sealOpen[" + size + "]");
      double[] theirs = score.apply("TuweniFrameBench.sealOpen[" + size + "]");
      rows.add(new Row(peer, "Seal + open one message, " + size + " B", "sealOpen", "ops/s",
          ours[0], ours[1], ours[2], "Tuweni RLPx frame write + read", theirs[0], ""));
    }
  }

  // ---- network ----

  private void net() throws Exception {
    int pings = quick ? 2000 : 20_000;
    int bulk = quick ? 500 : 10_000;
    int small = quick ? 20_000 : 400_000;
    int handshakes = quick ? 300 : 3000;
    List<double[]> p50 = new ArrayList<>();
    List<double[]> p99 = new ArrayList<>();
    List<double[]> bulkRate = new ArrayList<>();
    List<double[]> smallRate = new ArrayList<>();
    List<double[]> hsRate = new ArrayList<>();
    List<double[]> idleHeap = new ArrayList<>();
    int idle = quick ? 200 : 2000;
    try (NetBench warm = new NetBench()) { // one discarded pass: JIT and connections warm up
      warm.pingPong(pings / 4, pings / 4);
      NetBench.rawPingPong(pings / 4, pings / 4);
      warm.stream(65536, bulk / 4, 32);
      NetBench.rawStream(65536, bulk / 4);
      warm.stream(256, small / 4, 4096);
      NetBench.aeadOnly(256, small / 4);
      // the secp256k1 code takes the JIT long to compile fully: warm it with many handshakes
      warm.handshakes(quick ? handshakes / 4 : 5 * handshakes, HANDSHAKE_DIALERS);
      NetBench.ecBound(handshakes / 4, 2);
    }
    for (int run = 0; run < runs; run++) {
      try (NetBench net = new NetBench()) {
        long[] ours = NetBench.sorted(net.pingPong(pings / 4, pings));
        long[] raw = NetBench.sorted(NetBench.rawPingPong(pings / 4, pings));
        p50.add(new double[] {NetBench.percentile(ours, 0.5) / 1e3,
            NetBench.percentile(raw, 0.5) / 1e3});
        p99.add(new double[] {NetBench.percentile(ours, 0.99) / 1e3,
            NetBench.percentile(raw, 0.99) / 1e3});
        double mib = 65536.0 / (1 << 20);
        bulkRate.add(new double[] {net.stream(65536, bulk, 32) * mib,
            NetBench.rawStream(65536, bulk) * mib});
        smallRate.add(new double[] {net.stream(256, small, 4096),
            NetBench.aeadOnly(256, small)});
        hsRate.add(new double[] {net.handshakes(handshakes, HANDSHAKE_DIALERS),
            NetBench.ecBound(handshakes, 2)});
        idleHeap.add(new double[] {net.heapPerIdleConnection(idle) / 1024,
            NetBench.heapPerIdleSocket(idle) / 1024});
      }
      System.out.printf("network run %d of %d done%n", run + 1, runs);
    }
    String s = "Network, real TCP on loopback (median of " + runs + " runs, min to max)";
    rows.add(row(s, "Ping-pong p50, 64 B via sendMessage", "us", p50, "raw TCP ping-pong p50",
        "<= 2x raw TCP"));
    rows.add(row(s, "Ping-pong p99, 64 B via sendMessage", "us", p99, "raw TCP ping-pong p99",
        ""));
    rows.add(row(s, "Bulk, 64 KiB messages, one session", "MiB/s", bulkRate,
        "raw TCP, 64 KiB frames", ">= 50% of raw TCP"));
    rows.add(row(s, "Small messages, 256 B, one session", "msg/s", smallRate,
        "AES-GCM seal+open alone, 1 thread (an upper bound, not a like-for-like path)",
        ">= 200,000/s"));
    rows.add(row(s, "Handshakes over TCP, " + HANDSHAKE_DIALERS
            + " dialers (both sides' CPU in this JVM)", "per s", hsRate,
        "the EC work of a handshake alone (both sides, remote keys decoded), 2 threads",
        ">= 1000/s"));
    rows.add(row(s, "Heap per idle connection end (" + idle + " connections, both ends here)",
        "KiB", idleHeap, "plain NIO socket, idle", "<= 32 KiB"));
  }

  // ---- service ----

  private void service() throws Exception {
    int messages = quick ? 5_000 : 50_000;
    int requests = quick ? 1_000 : 10_000;
    int clients = 4;
    List<double[]> grpcRate = new ArrayList<>();
    List<double[]> grpcCpu = new ArrayList<>();
    List<double[]> restRate = new ArrayList<>();
    List<double[]> restCpu = new ArrayList<>();
    try (dev.kadmesh.service.ServiceBench bench = new dev.kadmesh.service.ServiceBench()) {
      // warm-up: the JIT needs a few hundred thousand messages through gRPC to settle
      bench.grpcSubscribe(quick ? messages : 6 * messages, 256);
      bench.nodeSink(messages, 256);
      bench.restSend(requests, 256, clients);
      bench.restFloor(requests, clients);
      for (int run = 0; run < runs; run++) {
        var grpc = bench.grpcSubscribe(messages, 256);
        var sink = bench.nodeSink(messages, 256);
        grpcRate.add(new double[] {grpc.perSecond(), sink.perSecond()});
        grpcCpu.add(new double[] {grpc.cpuMicrosPerMessage(), sink.cpuMicrosPerMessage()});
        var rest = bench.restSend(requests, 256, clients);
        var floor = bench.restFloor(requests, clients);
        restRate.add(new double[] {rest.perSecond(), floor.perSecond()});
        restCpu.add(new double[] {rest.cpuMicrosPerMessage(), floor.cpuMicrosPerMessage()});
        System.out.printf("service run %d of %d done%n", run + 1, runs);
      }
    }
    String s = "Service APIs, two applications in this JVM (median of " + runs
        + " runs; CPU is the whole process per message)";
    rows.add(row(s, "gRPC Subscribe delivery to one subscriber, 256 B", "msg/s", grpcRate,
        "the same messages to a sink on the node (no API)", "measured"));
    rows.add(row(s, "gRPC Subscribe CPU per message", "us", grpcCpu,
        "sink on the node", "measured"));
    rows.add(row(s, "REST send, 256 B, " + clients + " clients", "req/s", restRate,
        "GET /actuator/health/liveness, same clients (the HTTP stack alone)", "measured"));
    rows.add(row(s, "REST send CPU per request", "us", restCpu, "liveness GET", "measured"));
  }

  // ---- simulator ----

  private void sim() throws Exception {
    int lookups = quick ? 50 : 200;
    int sends = quick ? 20 : 100;
    // the seed's small networks, in the shapes of the simulator's test matrix
    seeds.addAll(SeedSim.run(SimBench.bootstrap(10, new SimBench.Shape(3, 100, 16, 5), 0, 1), 10,
        new SimBench.Shape(3, 100, 16, 5).toString(), sends, 1));
    seeds.addAll(SeedSim.run(SimBench.bootstrap(100, new SimBench.Shape(5, 50, 64, 20), 0, 1),
        100, new SimBench.Shape(5, 50, 64, 20).toString(), sends, 1));
    List<Integer> sizes = quick ? List.of(1000) : List.of(1000, 10_000);
    for (int size : sizes) {
      for (double drops : List.of(0.0, 0.10)) {
        // the lossless network, once its lookups are measured, also gives the seed's rows
        SimBench.Figures f = SimBench.run(size, drops, lookups, 1, drops > 0 ? net -> { }
            : net -> seeds.addAll(SeedSim.run(net, size, SimBench.Shape.DEFAULT.toString(),
                sends, 1)));
        System.out.println(f);
        sims.add(f);
      }
    }
  }

  // ---- real TCP at scale ----

  private void tcp() throws Exception {
    for (int size : List.of(10, 100)) {
      seeds.addAll(TcpSeed.run(size, quick ? 10 : 30, 1));
    }
    for (int size : quick ? List.of(100) : List.of(100, 1000)) {
      TcpScale.Figures f = TcpScale.run(size, quick ? 20 : 100, 1);
      System.out.println(f);
      tcps.add(f);
    }
  }

  private void writeTcp(StringBuilder md) {
    if (tcps.isEmpty()) {
      return;
    }
    md.append("\n## Real TCP: bootstrap and lookups on loopback\n\n")
        .append("Real nodes in this one JVM on two shared event loops, every node joining at once:")
        .append(" 10 bootnodes, k = 20, 20 buckets, minimum table 20. Both ends of every")
        .append(" connection are in this process, so connections idle for 2 s are closed to stay")
        .append(" within the file-descriptor limit (peak shown, for the whole process); each new")
        .append(" connection costs a handshake. The baseline for the handshake rate is the EC")
        .append(" ceiling measured above (the EC work of a handshake on two threads).\n\n")
        .append("| nodes | bootstrap (wall) | handshakes | handshakes/s | peak open fds | lookups |")
        .append(" mean rounds | success | target |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    for (TcpScale.Figures f : tcps) {
      md.append(String.format(Locale.ROOT,
          "| %,d | %.1f s | %,d | %,.0f | %,d | %d | %.2f | %.1f %% | %s |%n",
          f.nodes(), f.bootstrapSeconds(), f.handshakes(), f.handshakesPerSecond(), f.peakFds(),
          f.lookups(), f.meanRounds(), 100 * f.successRate(),
          f.nodes() >= 1000 ? "bootstrap <= 60 s" : ""));
    }
  }

  private void writeSeed(StringBuilder md) {
    if (seeds.isEmpty()) {
      return;
    }
    md.append("\n## The seed's table: SendMessage to an unknown node after bootstrap\n\n")
        .append("Each send goes from a node to one that is neither in its routing table nor")
        .append(" connected to it (in small networks, where every table holds every node, the")
        .append(" sender forgets the target first), so it needs a lookup, a dial and a handshake")
        .append(" (real TCP) before the message. 64 B payloads through `sendMessage` and a")
        .append(" registered protocol. The faults start once the network has bootstrapped, one")
        .append(" phase after another on the same network; drawn from seed 1. A message that has")
        .append(" not arrived ").append(SeedSim.RESEND_AFTER_MILLIS).append(" ms after its send")
        .append(" completed is sent again (at most ").append(SeedSim.MAX_ATTEMPTS)
        .append(" attempts), as an application would; the time includes those waits.\n\n")
        .append("- hops: FindNode rounds of the send's lookups; RPCs: FindNode requests (failed:")
        .append(" those that timed out or could not connect);\n")
        .append("- total: from the call to the message's arrival at the target (virtual time on")
        .append(" the simulator, wall time on TCP);\n")
        .append("- FindNode op: mean request-to-answer time of the sender's FindNode requests")
        .append(" that were answered.\n\n")
        .append("| network | nodes | shape | fault | sends | success | attempts | hops | RPCs")
        .append(" (failed) | total, mean | total, p90 | FindNode op |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (SeedRows.Row r : seeds) {
      md.append(String.format(Locale.ROOT,
          "| %s | %,d | %s | %s | %d | %.0f %% | %.2f | %.2f | %.1f (%.1f) | %.0f ms | %.0f ms"
              + " | %.1f ms |%n",
          r.network(), r.nodes(), r.shape(), r.fault().name().toLowerCase(Locale.ROOT)
              + (r.faultDetail().isEmpty() ? "" : ": " + r.faultDetail()),
          r.sends(), 100 * r.successRate(), r.meanAttempts(), r.meanHops(), r.meanRpcs(),
          r.meanFailedRpcs(), r.meanTotalMillis(), r.p90TotalMillis(), r.meanFindNodeMillis()));
    }
  }

  private void writeSim(StringBuilder md) {
    if (sims.isEmpty()) {
      return;
    }
    md.append("\n## Simulator: bootstrap and lookups (seed 1, virtual time)\n\n")
        .append("The same swarm and DHT code as real nodes, in one JVM with no sockets: 10")
        .append(" bootnodes, k = 20, 20 buckets, minimum table 20. Bootstrap time is wall time on")
        .append(" this machine (the run's virtual time beside it). Each lookup starts at a random")
        .append(" node for a random node not in its table; rounds are FindNode hops, RPCs the")
        .append(" requests one lookup sent. These figures have no same-run baseline: the targets")
        .append(" are absolute.\n\n")
        .append("| nodes | message loss | bootstrap (wall) | virtual | heap per node | mean table |")
        .append(" lookups | mean rounds (max) | mean RPCs | mean time (virtual) | success |")
        .append(" targets |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (SimBench.Figures f : sims) {
      String target = (f.nodes() >= 10_000 ? "bootstrap <= 60 s wall; rounds <= 4" : "rounds <= 3")
          + (f.dropRate() == 0 ? "; success 100 %" : "; success >= 99 %");
      md.append(String.format(Locale.ROOT,
          "| %,d | %.0f %% | %.1f s | %.1f s | %.1f KiB | %.0f | %d | %.2f (%d) | %.1f | %.0f ms"
              + " | %.1f %% | %s |%n",
          f.nodes(), 100 * f.dropRate(), f.bootstrapWallSeconds(), f.virtualSeconds(),
          f.heapPerNodeKiB(), f.meanTable(), f.lookups(), f.meanRounds(), f.maxRounds(),
          f.meanRpcs(), f.meanVirtualMillis(), 100 * f.successRate(), target));
    }
  }

  private static Row row(String section, String name, String unit, List<double[]> samples,
      String baselineName, String target) {
    double[] ours = samples.stream().mapToDouble(x -> x[0]).sorted().toArray();
    double[] base = samples.stream().mapToDouble(x -> x[1]).sorted().toArray();
    return new Row(section, name, name, unit, median(ours), ours[0], ours[ours.length - 1],
        baselineName, median(base), target);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  // ---- report ----

  private void write(String args) throws IOException {
    String machine = machine();
    StringBuilder md = new StringBuilder();
    md.append("# Kadmesh benchmarks\n\n")
        .append("Written by `./mvnw -Pbench verify").append(args.isEmpty() ? "" :
            " -Dbench.args=\"" + args + "\"").append("` (dev.kadmesh.bench.BenchmarkSuite).\n\n")
        .append("Machine: ").append(machine).append(".\n\n")
        .append("Every baseline was measured in the same run on the same machine. Ratios are ")
        .append("Kadmesh / baseline (for latency lower is better, for rates higher is better).")
        .append(quick ? " This was a `--quick` run: short, indicative only." : "")
        .append(" What bounds each target, and the plan where one is not met:")
        .append(" [docs/performance.md](docs/performance.md). The network and service figures")
        .append(" run with the per-peer limits off (`NetLimits.none()`, and 0 for")
        .append(" `kadmesh.p2p.peer-messages-per-second` and `peer-bytes-per-second`): they")
        .append(" measure what the transport and the APIs can carry, which the limits (5,000")
        .append(" messages and 32 MiB per second per peer by default) cap by design.\n");
    String section = null;
    for (Row r : rows) {
      if (!r.section().equals(section)) {
        section = r.section();
        md.append("\n## ").append(section).append("\n\n")
            .append("| benchmark | Kadmesh | spread | baseline | baseline value | ratio | target |\n")
            .append("|---|---|---|---|---|---|---|\n");
      }
      md.append("| ").append(r.name()).append(" | ").append(fmt(r.value())).append(' ')
          .append(r.unit()).append(" | ").append(fmt(r.min())).append(" to ")
          .append(fmt(r.max())).append(" | ").append(r.baselineName()).append(" | ")
          .append(r.baseline() == 0 ? "" : fmt(r.baseline()) + " " + r.unit()).append(" | ")
          .append(r.baseline() == 0 ? "" : String.format(Locale.ROOT, "%.2f", r.ratio()))
          .append(" | ").append(r.target()).append(" |\n");
    }
    writeSeed(md);
    writeSim(md);
    writeTcp(md);
    Files.writeString(Path.of("BENCHMARKS.md"), md.toString());
    StringBuilder json = new StringBuilder("{\n  \"machine\": \"").append(machine)
        .append("\",\n  \"results\": [\n");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      json.append(String.format(Locale.ROOT,
          "    {\"section\": \"%s\", \"benchmark\": \"%s\", \"unit\": \"%s\", \"value\": %.3f,"
              + " \"min\": %.3f, \"max\": %.3f, \"baseline\": \"%s\", \"baselineValue\": %.3f}%s%n",
          r.section(), r.name(), r.unit(), r.value(), r.min(), r.max(), r.baselineName(),
          r.baseline(), i + 1 < rows.size() ? "," : ""));
    }
    json.append("  ],\n  \"simulator\": [\n");
    for (int i = 0; i < sims.size(); i++) {
      SimBench.Figures f = sims.get(i);
      json.append(String.format(Locale.ROOT,
          "    {\"nodes\": %d, \"dropRate\": %.2f, \"bootstrapWallSeconds\": %.2f,"
              + " \"virtualSeconds\": %.2f, \"heapPerNodeKiB\": %.2f, \"meanTable\": %.1f,"
              + " \"lookups\": %d, \"meanRounds\": %.3f, \"maxRounds\": %d, \"meanRpcs\": %.2f,"
              + " \"meanVirtualMillis\": %.1f, \"successRate\": %.4f}%s%n",
          f.nodes(), f.dropRate(), f.bootstrapWallSeconds(), f.virtualSeconds(),
          f.heapPerNodeKiB(), f.meanTable(), f.lookups(), f.meanRounds(), f.maxRounds(),
          f.meanRpcs(), f.meanVirtualMillis(), f.successRate(), i + 1 < sims.size() ? "," : ""));
    }
    json.append("  ],\n  \"tcp\": [\n");
    for (int i = 0; i < tcps.size(); i++) {
      TcpScale.Figures f = tcps.get(i);
      json.append(String.format(Locale.ROOT,
          "    {\"nodes\": %d, \"bootstrapSeconds\": %.2f, \"handshakes\": %d,"
              + " \"handshakesPerSecond\": %.1f, \"peakFds\": %d, \"lookups\": %d,"
              + " \"meanRounds\": %.3f, \"successRate\": %.4f}%s%n",
          f.nodes(), f.bootstrapSeconds(), f.handshakes(), f.handshakesPerSecond(), f.peakFds(),
          f.lookups(), f.meanRounds(), f.successRate(), i + 1 < tcps.size() ? "," : ""));
    }
    json.append("  ],\n  \"seed\": [\n");
    for (int i = 0; i < seeds.size(); i++) {
      SeedRows.Row r = seeds.get(i);
      json.append(String.format(Locale.ROOT,
          "    {\"network\": \"%s\", \"nodes\": %d, \"fault\": \"%s\", \"sends\": %d,"
              + " \"successRate\": %.4f, \"meanAttempts\": %.3f, \"meanHops\": %.3f,"
              + " \"meanRpcs\": %.3f, \"meanFailedRpcs\": %.3f, \"meanTotalMillis\": %.1f,"
              + " \"p90TotalMillis\": %.1f, \"meanFindNodeMillis\": %.2f}%s%n",
          r.network(), r.nodes(), r.fault(), r.sends(), r.successRate(), r.meanAttempts(),
          r.meanHops(), r.meanRpcs(), r.meanFailedRpcs(), r.meanTotalMillis(),
          r.p90TotalMillis(), r.meanFindNodeMillis(), i + 1 < seeds.size() ? "," : ""));
    }
    json.append("  ]\n}\n");
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/benchmarks.json"), json.toString());
    System.out.println(md);
  }

  private static String fmt(double v) {
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (IOException e) {
      // not Linux
    }
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", "
        + System.getProperty("os.name") + ", "
        + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"))
        + ", JVM args " + ManagementFactory.getRuntimeMXBean().getInputArguments();
  }
}

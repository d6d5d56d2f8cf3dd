package dev.kadmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's devnet walkthrough, run as written where it can be: {@code scripts/devnet up 3}
 * starts three node processes, a subscriber on node 2 gets a message that node 0 sends to node
 * 2's id, a lookup of node 2 shows in node 0's metrics, and {@code scripts/devnet down} stops
 * everything.
 * The nodes run from the test classpath (KADMESH_CMD) instead of the packaged jar, which the
 * build makes only after the tests.
 */
class DevnetTest {
  @TempDir Path dir;

  private ProcessResult devnet(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/devnet"));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "devnet", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    String java = ProcessHandle.current().info().command().orElse("java");
    Map<String, String> env = pb.environment();
    env.put("KADMESH_CMD", java + " -cp " + System.getProperty("java.class.path")
        + " dev.kadmesh.service.KadmeshApplication");
    env.put("DEVNET_DIR", dir.resolve("devnet").toString());
    env.put("DEVNET_TIMEOUT", "120");
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("scripts/devnet " + String.join(" ", args) + " did not finish: "
          + Files.readString(log));
    }
    return new ProcessResult(p.exitValue(), Files.readString(log));
  }

  record ProcessResult(int exit, String output) {}

  @Test
  void upRunsANetworkTheWalkthroughWorksOnAndDownCleansUp() throws Exception {
    ProcessResult up = devnet("up", "3");
    List<Long> pids = new ArrayList<>();
    try {
      assertThat(up.exit()).as(up.output()).isZero();
      assertThat(up.output()).contains("3 nodes bootstrapped");
      Properties env = new Properties();
      env.load(Files.newBufferedReader(dir.resolve("devnet/env")));
      for (int i = 0; i < 3; i++) {
        assertThat(up.output()).contains(env.getProperty("NODE" + i + "_HTTP"))
            .contains(env.getProperty("NODE" + i + "_ID"));
        pids.add(Long.parseLong(Files.readString(dir.resolve("devnet/node-" + i + "/pid")).trim()));
      }
      walkthrough(env);
      assertThat(devnet("status").output()).contains("node-0 ready", "node-1 ready",
          "node-2 ready");
    } finally {
      ProcessResult down = devnet("down");
      assertThat(down.exit()).as(down.output()).isZero();
    }
    assertThat(dir.resolve("devnet")).doesNotExist();
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("node process " + pid + " stopped").isFalse();
    }
  }

  /** Subscribe on node 2, send from node 0 to node 2's id, see it arrive, see the lookup. */
  private static void walkthrough(Properties env) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String node0 = env.getProperty("NODE0_HTTP");
    String node2 = env.getProperty("NODE2_HTTP");
    HttpResponse<InputStream> sse = http.send(
        HttpRequest.newBuilder(URI.create(node2 + "/api/v1/events?protocol=chat")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(sse.statusCode()).isEqualTo(200);
    BlockingQueue<String> data = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
        String line;
        boolean message = false;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("event:")) {
            message = line.contains("message");
          } else if (message && line.startsWith("data:")) {
            data.add(line);
          }
        }
      } catch (java.io.IOException e) {
        // closed at the end of the test
      }
    });
    reader.setDaemon(true);
    reader.start();

    HttpResponse<String> sent = http.send(HttpRequest.newBuilder(
            URI.create(node0 + "/api/v1/messages"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"" + env.getProperty("NODE2_ID")
            + "\",\"protocol\":\"chat\",\"payload\":\"aGVsbG8=\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());

    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
    String event = data.poll(30, TimeUnit.SECONDS);
    assertThat(event).contains("\"payload\":\"aGVsbG8=\"")
        .contains("\"sender\":\"" + env.getProperty("NODE0_ID") + "\"");
    HttpResponse<String> lookup = http.send(HttpRequest.newBuilder(
        URI.create(node0 + "/api/v1/nodes/" + env.getProperty("NODE2_ID"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(lookup.statusCode()).isEqualTo(200);
    assertThat(lookup.body()).contains("\"id\":\"" + env.getProperty("NODE2_ID") + "\"");
    String metrics = http.send(HttpRequest.newBuilder(URI.create(node0 + "/actuator/prometheus"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics)
        // at least the lookup above (the send may have needed one too)
        .containsPattern("(?m)^kadmesh_lookups_seconds_count\\{result=\"found\"} [1-9]")
        .containsPattern("(?m)^kadmesh_lookup_hops_count\\{result=\"found\"} [1-9]")
        .containsPattern("(?m)^kadmesh_messages_sent_total\\{protocol=\"chat\"} 1(\\.0)?$");
    sse.body().close();
  }
}

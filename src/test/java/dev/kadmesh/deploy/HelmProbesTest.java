package dev.kadmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The chart's probes point at Actuator paths the application really serves. */
class HelmProbesTest {
  @TempDir Path dataDir;

  @Test
  void probePathsAreServedByTheApp() throws Exception {
    List<String> paths = HelmChartTest.probePaths(HelmChartTest.render());
    assertThat(paths).containsExactly("/actuator/health/liveness", "/actuator/health/liveness",
        "/actuator/health/readiness");
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(
            dev.kadmesh.service.KadmeshApplication.class)
        .run("--server.port=0", "--spring.grpc.server.port=0", "--kadmesh.p2p.host=127.0.0.1",
            "--kadmesh.p2p.port=0", "--kadmesh.data-dir=" + dataDir, "--spring.main.banner-mode=off")) {
      int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
      HttpClient http = HttpClient.newHttpClient();
      for (String path : paths) {
        HttpResponse<String> r = http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"UP\"");
      }
    }
  }
}

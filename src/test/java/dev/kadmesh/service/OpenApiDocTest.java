package dev.kadmesh.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * docs/openapi.json is the OpenAPI description the app serves at /v3/api-docs (minus the server
 * URL, which depends on where it runs). After changing the REST API, refresh the file with {@code
 * ./mvnw test -Dtest=OpenApiDocTest -Dkadmesh.openapi.write=true}.
 */
class OpenApiDocTest {
  private static final Path DOC = Path.of("docs/openapi.json");

  @TempDir Path dataDir;

  @Test
  void docsHoldTheDescriptionTheAppServes() throws Exception {
    JsonNode served;
    try (TestApp app = TestApp.start(dataDir)) {
      var r = app.get("/v3/api-docs");
      assertThat(r.statusCode()).isEqualTo(200);
      served = TestApp.json(r);
    }
    ((ObjectNode) served).remove("servers");
    assertThat(served.at("/info/title").asString()).isEqualTo("Kadmesh node API");
    assertThat(served.get("paths").propertyNames()).contains("/api/v1/node",
        "/api/v1/routing-table", "/api/v1/connections", "/api/v1/nodes/{id}",
        "/api/v1/protocols", "/api/v1/messages", "/api/v1/broadcasts", "/api/v1/events");
    if (Boolean.getBoolean("kadmesh.openapi.write")) {
      Files.writeString(DOC, TestApp.JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(served) + "\n");
    }
    assertThat(Files.exists(DOC)).as(DOC + " exists").isTrue();
    JsonNode documented = TestApp.JSON.readTree(Files.readString(DOC));
    assertThat(documented)
        .as("docs/openapi.json is out of date: refresh it with"
            + " ./mvnw test -Dtest=OpenApiDocTest -Dkadmesh.openapi.write=true")
        .isEqualTo(served);
  }
}

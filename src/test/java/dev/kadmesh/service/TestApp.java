package dev.kadmesh.service;

import dev.kadmesh.p2p.node.P2PNode;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A whole Kadmesh application started for a test: loopback, free ports (P2P, HTTP, gRPC) and its
 * own data dir; plus small HTTP and gRPC clients for it.
 */
final class TestApp implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** For streaming responses (Server-Sent Events), read by the test as they come. */
  static final HttpClient HTTP_STREAM =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final ConfigurableApplicationContext context;
  final int httpPort;
  final int grpcPort;
  private final String token;
  /** The address the gRPC server bound, as it reported it. */
  String grpcAddress;
  private ManagedChannel channel;

  private TestApp(ConfigurableApplicationContext context, int grpcPort, String token) {
    this.context = context;
    this.httpPort = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    this.grpcPort = grpcPort;
    this.token = token;
  }

  /** Starts the app; each {@code key=value} in {@code overrides} replaces a test default. */
  static TestApp start(Path dataDir, String... overrides) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("server.port", "0");
    props.put("spring.grpc.server.port", "0");
    props.put("kadmesh.p2p.host", "127.0.0.1");
    props.put("kadmesh.p2p.port", "0");
    props.put("kadmesh.data-dir", dataDir.toString());
    props.put("spring.main.banner-mode", "off");
    props.put("management.defaults.metrics.export.enabled", "true");
    props.put("management.prometheus.metrics.export.enabled", "true");
    for (String o : overrides) {
      int eq = o.indexOf('=');
      props.put(o.substring(0, eq), o.substring(eq + 1));
    }
    if (props.containsKey("kadmesh.api.token")) {
      // with a token the servers would listen on every interface: tests stay on loopback
      props.putIfAbsent("server.address", "127.0.0.1");
      props.putIfAbsent("spring.grpc.server.address", "127.0.0.1");
    }
    String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
    AtomicInteger grpcPort = new AtomicInteger(-1);
    AtomicReference<String> grpcAddress = new AtomicReference<>();
    ApplicationListener<GrpcServerStartedEvent> portListener = e -> {
      if (e.getPort() > 0) {
        grpcPort.set(e.getPort());
        grpcAddress.set(e.getAddress());
      }
    };
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(KadmeshApplication.class).listeners(portListener).run(args);
    TestApp app = new TestApp(context, grpcPort.get(), props.get("kadmesh.api.token"));
    app.grpcAddress = grpcAddress.get();
    return app;
  }

  P2PNode node() {
    return context.getBean(P2PNode.class);
  }

  String id() {
    return node().node().id().toBase58();
  }

  /** A plaintext channel to this app's gRPC server (with the token, if any), closed with the app. */
  synchronized ManagedChannel channel() {
    if (channel == null) {
      ManagedChannelBuilder<?> b =
          ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext();
      if (token != null) {
        io.grpc.Metadata auth = new io.grpc.Metadata();
        auth.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
            "Bearer " + token);
        b.intercept(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(auth));
      }
      channel = b.build();
    }
    return channel;
  }

  HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  HttpResponse<String> post(String path, String json) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  HttpResponse<String> delete(String path) {
    return send(request(path).DELETE().build());
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  /** The value of one Prometheus sample, e.g. {@code kadmesh_lookups_seconds_count{result="found"}}; 0 if absent. */
  double metric(String sample) {
    String body = get("/actuator/prometheus").body();
    for (String line : body.split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
    context.close();
  }
}

package dev.kadmesh.service.config;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Defaults derived from {@code kadmesh.*}. Without {@code kadmesh.api.token}, the REST and gRPC
 * servers default to loopback: the APIs act as
 * this node, so an unauthenticated one must not be reachable from other machines. Explicit
 * {@code server.address} or {@code spring.grpc.server.address} settings win; {@link ApiConfiguration}
 * then refuses to start if they are not loopback. The gRPC server's inbound message limit follows
 * {@code kadmesh.p2p.max-message-size}.
 */
public class ApiBindingDefaults implements EnvironmentPostProcessor {
  static final String LOOPBACK = "127.0.0.1";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication app) {
    Map<String, Object> defaults = new HashMap<>();
    if (!StringUtils.hasText(env.getProperty("kadmesh.api.token"))) {
      defaults.put("server.address", LOOPBACK);
      defaults.put("spring.grpc.server.address", LOOPBACK);
    }
    // gRPC requests must fit the largest payload the node sends, as REST requests do
    defaults.put("spring.grpc.server.inbound.message.max-size",
        grpcMaxInbound(env.getProperty("kadmesh.p2p.max-message-size")) + "B");
    env.getPropertySources().addLast(new MapPropertySource("kadmesh-api-defaults", defaults));
  }

  /** The P2P message limit plus room for the request's other fields; 4 MB at least (gRPC's default). */
  static long grpcMaxInbound(String maxMessageSize) {
    long max;
    try {
      max = StringUtils.hasText(maxMessageSize)
          ? DataSize.parse(maxMessageSize).toBytes() : 1024 * 1024;
    } catch (IllegalArgumentException e) {
      max = 1024 * 1024; // the property's own validation reports it
    }
    return Math.max(4L * 1024 * 1024, max + 64 * 1024);
  }
}

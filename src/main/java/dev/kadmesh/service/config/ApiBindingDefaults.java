package dev.kadmesh.service.config;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Without {@code kadmesh.api.token}, the REST and gRPC servers default to loopback: the APIs act as
 * this node, so an unauthenticated one must not be reachable from other machines. Explicit
 * {@code server.address} or {@code spring.grpc.server.address} settings win; {@link ApiConfiguration}
 * then refuses to start if they are not loopback.
 */
public class ApiBindingDefaults implements EnvironmentPostProcessor {
  static final String LOOPBACK = "127.0.0.1";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication app) {
    if (!StringUtils.hasText(env.getProperty("kadmesh.api.token"))) {
      env.getPropertySources().addLast(new MapPropertySource("kadmesh-api-loopback",
          Map.of("server.address", LOOPBACK, "spring.grpc.server.address", LOOPBACK)));
    }
  }
}

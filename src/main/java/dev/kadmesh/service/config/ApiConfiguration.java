package dev.kadmesh.service.config;

import dev.kadmesh.p2p.node.P2PNode;
import dev.kadmesh.service.api.ApiToken;
import dev.kadmesh.service.api.NodeApi;
import dev.kadmesh.service.api.Subscriptions;
import dev.kadmesh.service.rest.ApiAccessFilter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The objects behind the REST and gRPC APIs, and the rule that an open API stays on loopback. */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {
  private static final Logger log = LoggerFactory.getLogger(ApiConfiguration.class);

  @Bean
  ApiToken apiToken(KadmeshProperties properties, Environment env) {
    KadmeshProperties.Api api = properties.api();
    if (api.hasToken()) {
      log.info("REST and gRPC APIs require the bearer token from kadmesh.api.token");
      return new ApiToken(api.token());
    }
    String http = env.getProperty("server.address", "");
    String grpc = env.getProperty("spring.grpc.server.address", "");
    checkLoopback("server.address", http);
    checkLoopback("spring.grpc.server.address", grpc);
    log.info("kadmesh.api.token is not set: the REST API ({}) and gRPC API ({}) listen on loopback"
        + " only and need no token", http, grpc);
    return new ApiToken(null);
  }

  private static void checkLoopback(String property, String address) {
    boolean loopback;
    try {
      loopback = !address.isEmpty() && InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      loopback = false;
    }
    if (!loopback) {
      throw new IllegalArgumentException("kadmesh.api.token must be set (at least 16 characters)"
          + " when " + property + " is not a loopback address, got '" + address + "': the API"
          + " acts as this node and would be open to anyone who can reach it");
    }
  }

  @Bean(destroyMethod = "close")
  Subscriptions subscriptions(P2PNode node, KadmeshProperties properties) {
    KadmeshProperties.Api api = properties.api();
    return new Subscriptions(node.swarm(), api.subscriberBuffer(),
        api.subscriberBufferBytes().toBytes(), api.maxSubscribers(), api.maxProtocols(),
        api.keepAlive());
  }

  @Bean
  NodeApi nodeApi(P2PNode node, Subscriptions subscriptions, KadmeshProperties properties) {
    KadmeshProperties.Api api = properties.api();
    return new NodeApi(node, subscriptions, api.requestTimeout(), System::currentTimeMillis);
  }

  @Bean
  FilterRegistrationBean<ApiAccessFilter> apiAccessFilter(ApiToken token, NodeApi api) {
    // a maximal payload in base64, plus room for the JSON around it
    long maxBody = (api.maxPayload() + 2L) / 3 * 4 + 64 * 1024;
    FilterRegistrationBean<ApiAccessFilter> registration =
        new FilterRegistrationBean<>(new ApiAccessFilter(token, maxBody));
    registration.addUrlPatterns("/api/*");
    registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE); // before any body is read
    return registration;
  }
}

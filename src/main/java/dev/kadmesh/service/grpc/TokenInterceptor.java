package dev.kadmesh.service.grpc;

import dev.kadmesh.service.api.ApiToken;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.stereotype.Component;

/**
 * Requires {@code authorization: Bearer <kadmesh.api.token>} on every call when a token is set.
 * The health service stays open for probes, and reflection for tools that list the API (it
 * describes the published proto files only).
 */
@Component
@GlobalServerInterceptor
@Order(Ordered.HIGHEST_PRECEDENCE)
class TokenInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Set<String> OPEN_SERVICES =
      Set.of("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
          "grpc.reflection.v1alpha.ServerReflection");

  private final ApiToken token;

  TokenInterceptor(ApiToken token) {
    this.token = token;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (token.required()
        && !OPEN_SERVICES.contains(call.getMethodDescriptor().getServiceName())
        && !token.accepts(headers.get(AUTHORIZATION))) {
      call.close(Status.UNAUTHENTICATED.withDescription(
          "this node's API requires the bearer token set in kadmesh.api.token"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}

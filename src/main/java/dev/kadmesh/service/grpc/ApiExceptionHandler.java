package dev.kadmesh.service.grpc;

import dev.kadmesh.service.api.ApiError;
import dev.kadmesh.service.api.ApiException;
import io.grpc.Status;
import io.grpc.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.stereotype.Component;

/**
 * Maps API failures to gRPC status codes as the REST API maps them to HTTP statuses; anything
 * unexpected becomes INTERNAL with its details kept in the log.
 */
@Component
class ApiExceptionHandler implements GrpcExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  static Status status(ApiException e) {
    return Status.fromCode(Status.Code.valueOf(e.error().grpcCode())).withDescription(e.getMessage());
  }

  @Override
  public StatusException handleException(Throwable error) {
    if (error instanceof ApiException e) {
      return status(e).asException();
    }
    if (error instanceof io.grpc.StatusRuntimeException || error instanceof StatusException) {
      return null;
    }
    log.error("gRPC API call failed unexpectedly", error);
    return Status.INTERNAL.withDescription(ApiError.INTERNAL.title() + "; see the node's log")
        .asException();
  }
}

package dev.kadmesh.service.api;

import dev.kadmesh.p2p.swarm.SendFailure;

/** An API call failed for a reason the caller can act on; the message is safe to show. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ApiError error;

  public ApiException(ApiError error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }

  /** The API error for a failed send or broadcast. */
  public static ApiException of(SendFailure failure) {
    ApiError error =
        switch (failure.kind()) {
          case NOT_FOUND -> ApiError.NOT_FOUND;
          case UNREACHABLE -> ApiError.UNREACHABLE;
          case TIMEOUT -> ApiError.TIMEOUT;
          case TOO_LARGE -> ApiError.PAYLOAD_TOO_LARGE;
          case OVERLOADED -> ApiError.OVERLOADED;
          case INVALID -> ApiError.INVALID_ARGUMENT;
          case SHUTTING_DOWN -> ApiError.SHUTTING_DOWN;
        };
    return new ApiException(error, failure.getMessage());
  }
}

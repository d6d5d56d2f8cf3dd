package dev.kadmesh.service.api;

/**
 * What went wrong with an API call, shared by REST and gRPC: each kind has its HTTP status and
 * its gRPC status code name, so that both facades answer alike.
 */
public enum ApiError {
  /** Malformed input: a node id, base64, protocol name or missing field. */
  INVALID_ARGUMENT(400, "INVALID_ARGUMENT", "Invalid argument"),
  /** No bearer token, or a wrong one. */
  UNAUTHENTICATED(401, "UNAUTHENTICATED", "Unauthenticated"),
  /** The node or protocol does not exist. */
  NOT_FOUND(404, "NOT_FOUND", "Not found"),
  /** The payload exceeds the node's message size limit. */
  PAYLOAD_TOO_LARGE(413, "RESOURCE_EXHAUSTED", "Payload too large"),
  /** A local limit is reached (connections, subscribers, requests in flight). */
  OVERLOADED(503, "RESOURCE_EXHAUSTED", "Node overloaded"),
  /** The peer is known but could not be connected to or written to. */
  UNREACHABLE(502, "UNAVAILABLE", "Peer unreachable"),
  /** The node is stopping. */
  SHUTTING_DOWN(503, "UNAVAILABLE", "Node shutting down"),
  /** The lookup or send did not finish in time. */
  TIMEOUT(504, "DEADLINE_EXCEEDED", "Timed out"),
  /** A bug in the node; details are in its log, never in the answer. */
  INTERNAL(500, "INTERNAL", "Internal error");

  private final int httpStatus;
  private final String grpcCode;
  private final String title;

  ApiError(int httpStatus, String grpcCode, String title) {
    this.httpStatus = httpStatus;
    this.grpcCode = grpcCode;
    this.title = title;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The name of the matching {@code io.grpc.Status.Code}. */
  public String grpcCode() {
    return grpcCode;
  }

  public String title() {
    return title;
  }

  /** The problem type URI of RFC 7807 answers. */
  public String type() {
    return "urn:kadmesh:problem:" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}

package dev.kadmesh.service.config;

/** The clock is further from the time servers than allowed and startup must stop. */
final class ClockDriftException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  ClockDriftException(String message) {
    super(message);
  }
}

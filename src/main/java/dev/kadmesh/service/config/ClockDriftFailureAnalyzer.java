package dev.kadmesh.service.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a clock beyond the allowed drift as a short startup error. */
class ClockDriftFailureAnalyzer extends AbstractFailureAnalyzer<ClockDriftException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ClockDriftException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Synchronise the system clock, or set kadmesh.timesync.on-drift=WARN to start anyway.",
        cause);
  }
}

package dev.kadmesh.service.config;

import dev.kadmesh.p2p.identity.IdentityException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a broken node identity into a short startup report instead of a stack trace. */
class StartupFailureAnalyzer extends AbstractFailureAnalyzer<IdentityException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, IdentityException cause) {
    return new FailureAnalysis(
        "The node identity could not be loaded: " + cause.getMessage(),
        "Check kadmesh.data-dir and the key file there. A corrupt key file is never replaced"
            + " automatically: restore it from a backup, or move it away to start with a new"
            + " identity.",
        cause);
  }
}

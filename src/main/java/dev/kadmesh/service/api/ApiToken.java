package dev.kadmesh.service.api;

import dev.kadmesh.p2p.crypto.Hashes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The bearer token the APIs require, if one is configured. Compared in constant time over digests,
 * so that neither the content nor the length of the token leaks through timing.
 */
public final class ApiToken {
  private static final String BEARER = "Bearer ";
  private final byte[] digest;

  /** @param token the token, or null when the APIs are open (and bound to loopback) */
  public ApiToken(String token) {
    this.digest = token == null ? null : Hashes.sha256(token.getBytes(StandardCharsets.UTF_8));
  }

  public boolean required() {
    return digest != null;
  }

  /** True if no token is required, or {@code authorization} is {@code Bearer <the token>}. */
  public boolean accepts(String authorization) {
    if (digest == null) {
      return true;
    }
    if (authorization == null || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    byte[] given = Hashes.sha256(
        authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(digest, given);
  }
}

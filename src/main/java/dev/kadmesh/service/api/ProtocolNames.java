package dev.kadmesh.service.api;

/** The protocol names clients may use: 1 to 128 printable ASCII characters, no spaces. */
final class ProtocolNames {
  static final int MAX_LENGTH = 128;

  private ProtocolNames() {}

  static void check(String protocol) {
    if (protocol == null || protocol.isEmpty()) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, "protocol is required");
    }
    if (protocol.length() > MAX_LENGTH) {
      throw new ApiException(ApiError.INVALID_ARGUMENT,
          "protocol must be at most " + MAX_LENGTH + " characters, got " + protocol.length());
    }
    for (int i = 0; i < protocol.length(); i++) {
      char c = protocol.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new ApiException(ApiError.INVALID_ARGUMENT,
            "protocol must be printable ASCII without spaces; character " + i + " is not");
      }
    }
  }
}

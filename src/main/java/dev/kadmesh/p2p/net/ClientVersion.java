package dev.kadmesh.p2p.net;

/** Client version strings, {@code name/major.minor.patch[-suffix]}: peers must share the major. */
final class ClientVersion {
  private ClientVersion() {}

  /** The major version, or -1 when the string is not of the expected form. */
  static int major(String version) {
    if (version == null || version.length() > 64) {
      return -1;
    }
    int slash = version.indexOf('/');
    if (slash <= 0 || slash == version.length() - 1) {
      return -1;
    }
    String numbers = version.substring(slash + 1);
    int dot = numbers.indexOf('.');
    String major = dot < 0 ? numbers : numbers.substring(0, dot);
    if (major.isEmpty() || major.length() > 6) {
      return -1;
    }
    for (int i = 0; i < major.length(); i++) {
      if (!Character.isDigit(major.charAt(i)) || major.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(major);
  }

  static boolean compatible(String ours, String theirs) {
    int theirMajor = major(theirs);
    return theirMajor >= 0 && theirMajor == major(ours);
  }
}

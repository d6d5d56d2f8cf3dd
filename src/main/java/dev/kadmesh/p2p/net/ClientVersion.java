package dev.kadmesh.p2p.net;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client version strings, {@code name/major.minor.patch[-suffix]} (e.g. {@code kadmesh/0.1.0}).
 * Peers are compatible when they share the major version; the name is informative.
 */
public final class ClientVersion {
  private static final Pattern FORM =
      Pattern.compile("[A-Za-z0-9._-]{1,32}/(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})"
          + "\\.(0|[1-9][0-9]{0,5})(-[A-Za-z0-9.]{1,20})?");

  private ClientVersion() {}

  /** The major version, or -1 when the string is not of the expected form. */
  public static int major(String version) {
    if (version == null) {
      return -1;
    }
    Matcher m = FORM.matcher(version);
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** True when {@code theirs} is well-formed and has the same major version as {@code ours}. */
  public static boolean compatible(String ours, String theirs) {
    int theirMajor = major(theirs);
    return theirMajor >= 0 && theirMajor == major(ours);
  }
}

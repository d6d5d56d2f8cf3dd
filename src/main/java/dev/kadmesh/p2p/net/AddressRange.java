package dev.kadmesh.p2p.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A block of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}), or one address.
 * Parsed from literals only: never a name lookup.
 */
public final class AddressRange {
  private final byte[] network;
  private final int prefix;
  private final String text;

  private AddressRange(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Parses {@code address} or {@code address/prefix}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static AddressRange parse(String cidr) {
    if (cidr == null || cidr.isBlank()) {
      throw new IllegalArgumentException("empty address range");
    }
    String s = cidr.strip();
    int slash = s.indexOf('/');
    String host = slash < 0 ? s : s.substring(0, slash);
    if (host.indexOf('%') >= 0) {
      throw new IllegalArgumentException("zone ids are not supported: '" + host + "'");
    }
    byte[] bytes = literal(host);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP address: '" + host + "'");
    }
    // an IPv4-mapped IPv6 literal (::ffff:a.b.c.d) is an IPv4 address: its prefix counts from 96
    boolean mapped = bytes.length == 4 && host.indexOf(':') >= 0;
    int bits = mapped ? 128 : bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < (mapped ? 96 : 0) || prefix > bits) {
        throw new IllegalArgumentException("prefix length of '" + s + "' must be between "
            + (mapped ? 96 : 0) + " and " + bits);
      }
    }
    int ownPrefix = mapped ? prefix - 96 : prefix;
    return new AddressRange(mask(bytes, ownPrefix), ownPrefix, s);
  }

  /** The bytes of an IPv4 or IPv6 literal (IPv4-mapped IPv6 as IPv4), or null. */
  private static byte[] literal(String host) {
    boolean v4 = io.netty.util.NetUtil.isValidIpV4Address(host);
    if (!v4 && !io.netty.util.NetUtil.isValidIpV6Address(host)) {
      return null;
    }
    try {
      return InetAddress.getByName(host).getAddress(); // a valid literal: no lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** A copy of {@code bytes} with every bit after the first {@code prefix} cleared. */
  static byte[] mask(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return out;
  }

  /** True when {@code address} is in the block (IPv4 ranges never hold IPv6 addresses). */
  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.length && Arrays.equals(mask(bytes, prefix), network);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressRange r && r.prefix == prefix && Arrays.equals(r.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    return text;
  }
}

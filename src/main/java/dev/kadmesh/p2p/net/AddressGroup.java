package dev.kadmesh.p2p.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What the per-address limits and refusals count as one address: an IPv4 address, or an IPv6
 * /64 prefix (the block one subscriber usually gets, so that one attacker cannot escape the limits
 * by stepping through the addresses of its own prefix).
 */
final class AddressGroup {
  private AddressGroup() {}

  static InetAddress of(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address; // IPv4, including IPv4-mapped IPv6, which Java hands over as IPv4
    }
    byte[] bytes = address.getAddress();
    java.util.Arrays.fill(bytes, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("16 bytes are always an IPv6 address", e);
    }
  }
}

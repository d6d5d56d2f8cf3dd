package dev.kadmesh.p2p.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What the per-address limits and refusals count as one address: an IPv4 address; a global
 * unicast IPv6 address with its prefix ({@link NetLimits#ipv6GroupPrefix()}, /64 by default: the
 * block one subscriber usually gets, so that one attacker cannot escape the limits by stepping
 * through the addresses of its own block). Other IPv6 addresses (unique-local, link-local,
 * loopback, Teredo, NAT64) count one by one: their prefixes are shared by many unrelated hosts.
 */
final class AddressGroup {
  private AddressGroup() {}

  static InetAddress of(InetAddress address, int ipv6Prefix) {
    if (!(address instanceof Inet6Address) || ipv6Prefix >= 128) {
      return address; // IPv4, including IPv4-mapped IPv6, which Java hands over as IPv4
    }
    byte[] bytes = address.getAddress();
    boolean globalUnicast = (bytes[0] & 0xe0) == 0x20; // 2000::/3
    boolean teredo = bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0 && bytes[3] == 0;
    if (!globalUnicast || teredo) {
      return address;
    }
    try {
      return InetAddress.getByAddress(AddressRange.mask(bytes, ipv6Prefix));
    } catch (UnknownHostException e) {
      throw new AssertionError("16 bytes are always an IPv6 address", e);
    }
  }
}

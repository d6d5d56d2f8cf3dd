package dev.kadmesh.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressGroupTest {
  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal); // literals only: no name lookup
  }

  private static InetAddress group(String literal) throws Exception {
    return AddressGroup.of(ip(literal), 64);
  }

  @Test
  void ipv4AddressesCountOneByOne() throws Exception {
    assertThat(group("127.0.0.2")).isEqualTo(ip("127.0.0.2"));
    assertThat(group("127.0.0.2")).isNotEqualTo(group("127.0.0.3"));
    // IPv4-mapped IPv6 is the IPv4 address itself
    assertThat(group("::ffff:127.0.0.2")).isEqualTo(ip("127.0.0.2"));
  }

  @Test
  void globalIpv6AddressesCountByTheirPrefix() throws Exception {
    InetAddress a = group("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
    assertThat(a).isEqualTo(group("2001:db8:1:2::1")).isEqualTo(ip("2001:db8:1:2::"));
    assertThat(group("2001:db8:1:3::1")).isNotEqualTo(a);
    assertThat(AddressGroup.of(ip("2001:db8:1:2::1"), 48)).isEqualTo(ip("2001:db8:1::"));
    assertThat(AddressGroup.of(ip("2001:db8:1:2::1"), 128)).isEqualTo(ip("2001:db8:1:2::1"));
  }

  @Test
  void prefixesSharedByUnrelatedHostsCountOneByOne() throws Exception {
    for (String shared : new String[] {"fd00:1:2:3::5", "fe80::1:2", "::1", "64:ff9b::a00:1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2"}) { // unique-local, link-local, loopback, NAT64,
      assertThat(group(shared)).as(shared).isEqualTo(ip(shared)); // Teredo
    }
  }

  @Test
  void aRefusalCoversTheWholePrefix() throws Exception {
    PenaltyBox box = new PenaltyBox(1000, 60_000, () -> 0L);
    box.punish(group("2001:db8:1:2::5"));
    assertThat(box.refuses(group("2001:db8:1:2:ffff::9"))).isTrue();
    assertThat(box.refuses(group("2001:db8:1:3::5"))).isFalse();
  }
}

package dev.kadmesh.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressGroupTest {
  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal); // literals only: no name lookup
  }

  @Test
  void ipv4AddressesCountOneByOne() throws Exception {
    assertThat(AddressGroup.of(ip("127.0.0.2"))).isEqualTo(ip("127.0.0.2"));
    assertThat(AddressGroup.of(ip("127.0.0.2"))).isNotEqualTo(AddressGroup.of(ip("127.0.0.3")));
    // IPv4-mapped IPv6 is the IPv4 address itself
    assertThat(AddressGroup.of(ip("::ffff:127.0.0.2"))).isEqualTo(ip("127.0.0.2"));
  }

  @Test
  void ipv6AddressesCountByTheirSlash64() throws Exception {
    InetAddress a = AddressGroup.of(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
    InetAddress b = AddressGroup.of(ip("2001:db8:1:2::1"));
    InetAddress otherPrefix = AddressGroup.of(ip("2001:db8:1:3::1"));
    assertThat(a).isEqualTo(b).isEqualTo(ip("2001:db8:1:2::"));
    assertThat(otherPrefix).isNotEqualTo(a);
    assertThat(AddressGroup.of(ip("::1"))).isEqualTo(ip("::"));
  }

  @Test
  void aRefusalCoversTheWholePrefix() throws Exception {
    PenaltyBox box = new PenaltyBox(1000, 60_000, () -> 0L);
    box.punish(AddressGroup.of(ip("2001:db8:1:2::5")));
    assertThat(box.refuses(AddressGroup.of(ip("2001:db8:1:2:ffff::9")))).isTrue();
    assertThat(box.refuses(AddressGroup.of(ip("2001:db8:1:3::5")))).isFalse();
  }
}

package dev.kadmesh.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRangeTest {
  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void aBlockHoldsExactlyTheAddressesOfItsPrefix() throws Exception {
    AddressRange r = AddressRange.parse("10.1.0.0/16");
    assertThat(r.contains(ip("10.1.0.0"))).isTrue();
    assertThat(r.contains(ip("10.1.255.255"))).isTrue();
    assertThat(r.contains(ip("10.2.0.0"))).isFalse();
    assertThat(r.contains(ip("::ffff:10.1.2.3"))).as("IPv4-mapped").isTrue();
    assertThat(r.contains(ip("::1"))).isFalse();
    // host bits in the network part are ignored, as routers do
    assertThat(AddressRange.parse("10.1.2.3/16")).isEqualTo(r);
    AddressRange odd = AddressRange.parse("192.168.1.128/25");
    assertThat(odd.contains(ip("192.168.1.200"))).isTrue();
    assertThat(odd.contains(ip("192.168.1.100"))).isFalse();
  }

  @Test
  void singleAddressesAndIpv6BlocksParse() throws Exception {
    assertThat(AddressRange.parse("127.0.0.2").contains(ip("127.0.0.2"))).isTrue();
    assertThat(AddressRange.parse("127.0.0.2").contains(ip("127.0.0.3"))).isFalse();
    AddressRange v6 = AddressRange.parse(" fd00::/8 ");
    assertThat(v6.contains(ip("fd12:3456::1"))).isTrue();
    assertThat(v6.contains(ip("fe80::1"))).isFalse();
    assertThat(v6.contains(ip("10.0.0.1"))).isFalse();
    assertThat(AddressRange.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
    assertThat(v6).hasToString("fd00::/8");
    // an IPv4-mapped block is the IPv4 block: its prefix counts from 96
    AddressRange mapped = AddressRange.parse("::ffff:10.0.0.0/104");
    assertThat(mapped.contains(ip("10.200.0.1"))).isTrue();
    assertThat(mapped.contains(ip("11.0.0.1"))).isFalse();
  }

  @Test
  void anythingElseIsRefusedWithTheReason() {
    assertThatThrownBy(() -> AddressRange.parse("example.com/8"))
        .hasMessageContaining("not an IP address: 'example.com'");
    assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33"))
        .hasMessageContaining("between 0 and 32");
    assertThatThrownBy(() -> AddressRange.parse("fd00::/129"))
        .hasMessageContaining("between 0 and 128");
    assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/x")).hasMessageContaining("prefix");
    assertThatThrownBy(() -> AddressRange.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> AddressRange.parse("10.0.0/8"))
        .hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> AddressRange.parse("fe80::1%eth0/64"))
        .hasMessageContaining("zone ids are not supported");
    assertThatThrownBy(() -> AddressRange.parse("::ffff:10.0.0.0/8"))
        .hasMessageContaining("between 96 and 128");
  }
}

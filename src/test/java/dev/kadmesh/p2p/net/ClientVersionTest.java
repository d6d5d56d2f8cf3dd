package dev.kadmesh.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientVersionTest {
  @Test
  void sameMajorIsCompatible() {
    assertThat(ClientVersion.compatible("kadmesh/1.2.3", "kadmesh/1.9.0")).isTrue();
    assertThat(ClientVersion.compatible("kadmesh/1.2.3", "other-impl/1.0.0-rc.1")).isTrue();
    assertThat(ClientVersion.compatible("kadmesh/1.2.3", "kadmesh/2.0.0")).isFalse();
  }

  @Test
  void malformedVersionsAreNeverCompatible() {
    for (String bad : new String[] {"", "kadmesh", "kadmesh/", "/1.0.0", "x/00.1.0",
        "x/1.banana", "x/1", "x/1.0", "evil/0", "a b/1.0.0", "x/1.0.0\n"}) {
      assertThat(ClientVersion.major(bad)).as("'%s'", bad).isEqualTo(-1);
      assertThat(ClientVersion.compatible("kadmesh/0.1.0", bad)).isFalse();
    }
  }
}

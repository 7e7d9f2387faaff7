package io.github.synapsebgu.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardTest {
  @Test
  void shards_partition_a_fleet_every_homeserver_in_exactly_one() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      names.add("hs-" + i + ".example.org");
    }
    for (int n : new int[] {1, 2, 3, 7}) {
      Map<String, Integer> owner = new HashMap<>();
      int[] sizes = new int[n];
      for (int k = 0; k < n; k++) {
        Shard shard = new Shard(k, n);
        for (String name : names) {
          if (shard.contains(name)) {
            assertThat(owner.put(name, k)).as(name + " in two shards of " + n).isNull();
            sizes[k]++;
          }
        }
      }
      assertThat(owner).hasSize(names.size());
      for (int size : sizes) {
        // Roughly even: a hash that put everything in one shard would fail here.
        assertThat(size).isBetween(names.size() / n * 8 / 10, names.size() / n * 12 / 10);
      }
    }
  }

  @Test
  void the_hash_is_the_first_8_bytes_of_sha256_so_it_never_changes() {
    // sha256("example-org") = 9b7c1bd8 f7c0cc4b ...: stable across JVMs and releases.
    assertThat(Long.toHexString(Shard.hash("example-org"))).isEqualTo(sha256Prefix("example-org"));
  }

  private static String sha256Prefix(String s) {
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return new java.math.BigInteger(1, java.util.Arrays.copyOf(d, 8)).toString(16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void the_flag_takes_k_of_n_and_refuses_anything_else() throws Exception {
    assertThat(FlagCatalog.FLEET_SHARD.parse("2/3")).isEqualTo(new Shard(2, 3));
    assertThat(FlagCatalog.FLEET_SHARD.parse(null)).isEqualTo(Shard.ALL);
    for (String bad : new String[] {"3/3", "-1/3", "1", "a/b", "0/0", "1/2/3"}) {
      assertThatThrownBy(() -> FlagCatalog.FLEET_SHARD.parse(bad))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("--fleet.shard: ");
    }
  }
}

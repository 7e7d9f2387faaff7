package io.github.synapsebgu.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.testing.Configs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetFlagsTest {
  @TempDir Path dir;

  private Path fleet(String... names) throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "syt_t\n");
    StringBuilder yaml = new StringBuilder("homeservers:\n");
    for (String n : names) {
      yaml.append("  ").append(n).append(":\n    url: http://").append(n).append("\n");
      yaml.append("    token_file: ").append(token).append("\n");
    }
    Path file = dir.resolve("fleet.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void a_config_file_makes_its_homeservers_with_the_flags_as_defaults() throws Exception {
    ExporterConfig c =
        Configs.of(Map.of(), "--config.file=" + fleet("a", "b"), "--poll.interval=1m");
    assertThat(c.fleet()).isPresent();
    assertThat(c.homeservers()).extracting(HomeserverConfig::name).containsExactly("a", "b");
    assertThat(c.homeservers().get(0).pollInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.describe()).contains("homeservers=2").doesNotContain("syt_t");
  }

  @Test
  void the_config_file_is_read_from_its_variable_too() throws Exception {
    ExporterConfig c = Configs.of(Map.of("CONFIG_FILE", fleet("a").toString()));
    assertThat(c.homeservers()).extracting(HomeserverConfig::name).containsExactly("a");
  }

  @Test
  void a_config_file_with_a_per_homeserver_flag_or_demo_is_a_usage_error() throws Exception {
    Path file = fleet("a");
    assertThatThrownBy(
            () -> Configs.of(Map.of(), "--config.file=" + file, "--synapse.url=http://x"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--synapse.url: cannot be used with --config.file");
    assertThatThrownBy(() -> Configs.of(Map.of(), "--config.file=" + file, "--demo"))
        .hasMessageStartingWith("--demo: cannot be used with --config.file");
    assertThatThrownBy(
            () -> Configs.of(Map.of("SYNAPSE_ADMIN_TOKEN", "x"), "--config.file=" + file))
        .hasMessageStartingWith("SYNAPSE_ADMIN_TOKEN: cannot be used with --config.file");
    assertThatThrownBy(() -> Configs.of(Map.of(), "--fleet.shard=1/2", "--demo"))
        .hasMessageStartingWith("--fleet.shard: needs --config.file");
    assertThatThrownBy(
            () -> Configs.of(Map.of(), "--config.file=" + file, "--web.telemetry-path=/probe"))
        .hasMessage("--web.telemetry-path: \"/probe\" is taken by fleet mode");
  }

  @Test
  void an_invalid_file_names_the_first_problem_and_how_to_see_all() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "homeservers:\n  a:\n    url: http://a\n  b:\n    urll: x\n");
    assertThatThrownBy(() -> Configs.of(Map.of(), "--config.file=" + file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--config.file: "
                + file
                + ": line 2: homeservers.a.token_file: required: a file holding a server admin's"
                + " access token (secrets only by file) (and 3 more; --config.check lists them"
                + " all)");
  }

  @Test
  void a_shard_keeps_only_its_share() throws Exception {
    Path file = fleet("a", "b", "c", "d", "e", "f");
    int total = 0;
    for (int k = 0; k < 3; k++) {
      total +=
          Configs.of(Map.of(), "--config.file=" + file, "--fleet.shard=" + k + "/3")
              .homeservers()
              .size();
    }
    assertThat(total).isEqualTo(6);
  }

  @Test
  void config_check_lists_every_problem_of_the_file_and_of_its_token_files() throws Exception {
    Path file = dir.resolve("fleet.yaml");
    Files.writeString(
        file,
        "homeservers:\n  a:\n    url: http://a\n    token_file: "
            + dir.resolve("nope")
            + "\n  b:\n    url: http://b\n    token_file: "
            + dir.resolve("nope2")
            + "\n");
    FleetCheck.Outcome o =
        FleetCheck.run(Configs.parse("--config.file=" + file, "--config.check"), new Env(Map.of()));
    assertThat(o.problems())
        .satisfiesExactly(
            p -> assertThat(p).startsWith(file + ":2: homeservers.a.token_file: "),
            p -> assertThat(p).startsWith(file + ":5: homeservers.b.token_file: "));
    FleetCheck.Outcome ok =
        FleetCheck.run(Configs.parse("--config.file=" + fleet("a", "b")), new Env(Map.of()));
    assertThat(ok.problems()).isEmpty();
    assertThat(ok.homeservers()).isEqualTo(2);
  }

  @Test
  void demo_homeservers_makes_a_simulated_fleet() throws Exception {
    ExporterConfig c = Configs.of(Map.of(), "--demo.homeservers=12");
    assertThat(c.homeservers()).hasSize(12);
    assertThat(c.homeservers().get(0).name()).isEqualTo("demo-01");
    assertThat(c.server().demo()).isTrue();
  }
}

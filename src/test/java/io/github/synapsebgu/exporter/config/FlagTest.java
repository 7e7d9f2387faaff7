package io.github.synapsebgu.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlagTest {
  private static final Flag<Duration> INTERVAL =
      Flag.of(
          "--poll.interval", "15s", ValueParsers.duration(Duration.ofSeconds(1)), "Between polls");

  @Test
  void the_environment_variable_is_named_after_the_flag() {
    assertThat(INTERVAL.environmentVariable()).contains("POLL_INTERVAL");
    assertThat(FlagCatalog.SYNAPSE_TLS_INSECURE_SKIP_VERIFY.environmentVariable())
        .contains("SYNAPSE_TLS_INSECURE_SKIP_VERIFY");
    assertThat(INTERVAL.withoutEnvironment().environmentVariable()).isEmpty();
  }

  @Test
  void the_help_adds_the_default_and_the_variable() {
    assertThat(INTERVAL.help()).isEqualTo("Between polls (default 15s). [env: POLL_INTERVAL]");
    assertThat(Flag.onOff("--demo", "Simulate").help()).isEqualTo("Simulate. [env: DEMO]");
    assertThat(INTERVAL.withoutEnvironment().help()).isEqualTo("Between polls (default 15s).");
  }

  @Test
  void the_command_line_wins_over_the_environment_which_wins_over_the_default() throws Exception {
    Env env = new Env(Map.of("POLL_INTERVAL", "30s"));
    assertThat(env.value(INTERVAL, "5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(env.value(INTERVAL, null)).isEqualTo(Duration.ofSeconds(30));
    assertThat(new Env(Map.of("POLL_INTERVAL", "")).value(INTERVAL, null))
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(env.value(INTERVAL.withoutEnvironment(), null)).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void a_bad_value_from_the_environment_names_the_flag() {
    Env env = new Env(Map.of("POLL_INTERVAL", "fast"));
    assertThatThrownBy(() -> env.value(INTERVAL, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--poll.interval: ");
  }

  @Test
  void a_flag_without_default_is_empty_until_given() throws Exception {
    Env env = new Env(Map.of());
    assertThat(env.optional(FlagCatalog.SYNAPSE_TOKEN_FILE, null)).isEqualTo(Optional.empty());
    assertThat(env.optional(FlagCatalog.SYNAPSE_TOKEN_FILE, "/t")).contains("/t");
  }

  @Test
  void every_declared_default_is_a_valid_value() throws Exception {
    for (Flag<?> flag : FlagCatalog.DAEMON) {
      if (flag.defaultValue().isPresent()) {
        assertThat(flag.parse(null)).as(flag.name()).isNotNull();
      }
    }
  }
}

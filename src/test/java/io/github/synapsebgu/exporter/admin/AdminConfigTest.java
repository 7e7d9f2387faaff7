package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.cli.Main;
import io.github.synapsebgu.exporter.config.AdminConfig;
import io.github.synapsebgu.exporter.config.AdminOptions;
import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.config.ConfigValidator;
import io.github.synapsebgu.exporter.config.Env;
import io.github.synapsebgu.exporter.config.ExporterConfig;
import io.github.synapsebgu.exporter.config.ListenAddress;
import io.github.synapsebgu.exporter.config.ServeOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminConfigTest {
  @TempDir Path dir;
  private Path adminToken;
  private Path synapseToken;

  @BeforeEach
  void files() throws IOException {
    adminToken = Files.writeString(dir.resolve("admin"), "adm_token_for_config_tests\n");
    synapseToken = Files.writeString(dir.resolve("synapse"), "syt_token_for_config_tests");
  }

  private static AdminOptions enabled(String tokenFile) {
    AdminOptions o = new AdminOptions();
    o.enabled = "true";
    o.tokenFile = tokenFile;
    return o;
  }

  private static Env env(String... pairs) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return new Env(m);
  }

  @Test
  void offByDefault() throws ConfigException {
    AdminOptions o = new AdminOptions();
    o.tokenFile = adminToken.toString();

    assertThat(AdminConfig.validate(o, env())).isEmpty();
  }

  @Test
  void enabledWithDefaults() throws ConfigException {
    AdminConfig c = AdminConfig.validate(enabled(adminToken.toString()), env()).orElseThrow();

    assertThat(c.listenAddress()).isEqualTo(new ListenAddress("127.0.0.1", 9658));
    assertThat(c.maxPause()).isEqualTo(Duration.ofHours(24));
    assertThat(c.token().current().matches("adm_token_for_config_tests")).isTrue();
    assertThat(c.describe()).doesNotContain("adm_token_for_config_tests");
  }

  @Test
  void everyFlagFallsBackToItsEnvironmentVariable() throws ConfigException {
    AdminConfig c =
        AdminConfig.validate(
                new AdminOptions(),
                env(
                    "ADMIN_ENABLED", "true",
                    "ADMIN_LISTEN_ADDRESS", "[::1]:19658",
                    "ADMIN_TOKEN_FILE", adminToken.toString(),
                    "ADMIN_MAX_PAUSE", "2h"))
            .orElseThrow();

    assertThat(c.listenAddress()).isEqualTo(new ListenAddress("::1", 19658));
    assertThat(c.maxPause()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void tokenFileIsRequired() {
    assertThatThrownBy(() -> AdminConfig.validate(enabled(null), env()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--admin.token-file: required");
  }

  @Test
  void missingOrEmptyTokenFileIsRefused() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty"), " \n");

    assertThatThrownBy(() -> AdminConfig.validate(enabled(dir.resolve("nope").toString()), env()))
        .hasMessageStartingWith("--admin.token-file:")
        .hasMessageContaining("no such file");
    assertThatThrownBy(() -> AdminConfig.validate(enabled(empty.toString()), env()))
        .hasMessageStartingWith("--admin.token-file:")
        .hasMessageContaining("empty");
  }

  @Test
  void badValuesNameTheirFlag() {
    AdminOptions address = enabled(adminToken.toString());
    address.listenAddress = "localhost";
    AdminOptions pause = enabled(adminToken.toString());
    pause.maxPause = "forever";
    AdminOptions flag = enabled(adminToken.toString());
    flag.enabled = "maybe";

    assertThatThrownBy(() -> AdminConfig.validate(address, env()))
        .hasMessageStartingWith("--admin.listen-address:");
    assertThatThrownBy(() -> AdminConfig.validate(pause, env()))
        .hasMessageStartingWith("--admin.max-pause:");
    assertThatThrownBy(() -> AdminConfig.validate(flag, env()))
        .hasMessageStartingWith("--admin.enabled:");
  }

  private ServeOptions serve() {
    ServeOptions o = new ServeOptions();
    o.synapse.synapseUrl = "http://127.0.0.1:8008";
    o.synapse.synapseTokenFile = synapseToken.toString();
    o.admin = enabled(adminToken.toString());
    return o;
  }

  @Test
  void daemonConfigCarriesTheAdminConfig() throws ConfigException {
    ExporterConfig c = ConfigValidator.validate(serve(), env());

    assertThat(c.server().admin()).isPresent();
    assertThat(c.describe()).contains("admin_enabled=true", "admin_listen_address=127.0.0.1:9658");
  }

  @Test
  void adminCannotShareTheMetricsListener() {
    ServeOptions o = serve();
    o.listenAddress = ":9658";

    assertThatThrownBy(() -> ConfigValidator.validate(o, env()))
        .hasMessageStartingWith("--admin.listen-address:")
        .hasMessageContaining("listener of its own");
  }

  @Test
  void adminTokenMustNotBeSynapsesToken() throws IOException {
    ServeOptions o = serve();
    o.admin.tokenFile =
        Files.writeString(dir.resolve("copy"), "syt_token_for_config_tests").toString();

    assertThatThrownBy(() -> ConfigValidator.validate(o, env()))
        .hasMessageStartingWith("--admin.token-file:")
        .hasMessageContaining("Synapse's admin token");
  }

  @Test
  void enabledWithoutTokenFileExitsWith2AndOneLine() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code =
          Main.run(
              new String[] {
                "--synapse.url=http://127.0.0.1:8008",
                "--synapse.token-file=" + synapseToken,
                "--admin.enabled"
              },
              Map.of());
    } finally {
      System.setErr(original);
    }

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).strip())
        .startsWith("synapse-bgu-exporter: --admin.token-file: required")
        .doesNotContain("\n");
  }
}

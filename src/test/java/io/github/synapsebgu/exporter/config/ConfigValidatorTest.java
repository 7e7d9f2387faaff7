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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigValidatorTest {
  @TempDir Path dir;

  private Path tokenFile(String content) throws Exception {
    Path f = dir.resolve("token");
    Files.writeString(f, content);
    return f;
  }

  private ExporterConfig valid(Map<String, String> env, String... args) throws Exception {
    return Configs.of(env, args);
  }

  @Test
  void appliesTheDocumentedDefaults() throws Exception {
    ExporterConfig c =
        valid(
            Map.of(),
            "--synapse.url=http://localhost:8008/",
            "--synapse.token-file=" + tokenFile("t\n"));
    assertThat(c.homeserver().synapse().orElseThrow().baseUrl())
        .hasToString("http://localhost:8008");
    assertThat(c.homeserver().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.homeserver().pollInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.homeserver().staleAfter()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.server().listenAddress()).isEqualTo(new ListenAddress("", 9657));
    assertThat(c.server().telemetryPath()).isEqualTo("/metrics");
    assertThat(c.server().disableExporterMetrics()).isFalse();
    assertThat(c.server().log()).isEqualTo(LogSettings.defaults());
    assertThat(c.homeserver().token().orElseThrow().current().reveal()).isEqualTo("t");
  }

  @Test
  void readsEveryFlagFromItsEnvironmentVariable() throws Exception {
    ExporterConfig c =
        valid(
            Map.of(
                "SYNAPSE_URL", "https://matrix.example.org/prefix",
                "SYNAPSE_TOKEN_FILE", tokenFile("  tok  ").toString(),
                "SYNAPSE_TIMEOUT", "3s",
                "POLL_INTERVAL", "30s",
                "POLL_STALE_AFTER", "10m",
                "WEB_LISTEN_ADDRESS", "127.0.0.1:9999",
                "WEB_TELEMETRY_PATH", "/m",
                "WEB_DISABLE_EXPORTER_METRICS", "true",
                "LOG_LEVEL", "debug",
                "LOG_FORMAT", "json"));
    assertThat(c.homeserver().synapse().orElseThrow().displayUrl())
        .isEqualTo("https://matrix.example.org/prefix");
    assertThat(c.homeserver().token().orElseThrow().current().reveal()).isEqualTo("tok");
    assertThat(c.homeserver().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.homeserver().pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.homeserver().staleAfter()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.server().listenAddress()).isEqualTo(new ListenAddress("127.0.0.1", 9999));
    assertThat(c.server().telemetryPath()).isEqualTo("/m");
    assertThat(c.server().disableExporterMetrics()).isTrue();
    assertThat(c.server().log())
        .isEqualTo(new LogSettings(LogSettings.Level.DEBUG, LogSettings.Format.JSON));
  }

  @Test
  void prefersTheFlagOverTheEnvironment() throws Exception {
    ExporterConfig c =
        valid(
            Map.of("POLL_INTERVAL", "30s", "SYNAPSE_ADMIN_TOKEN", "tok"),
            "--synapse.url=http://h:1",
            "--poll.interval=2s");
    assertThat(c.homeserver().pollInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.homeserver().token().orElseThrow().describe())
        .isEqualTo("environment SYNAPSE_ADMIN_TOKEN");
  }

  @Test
  void needsNoUrlNorTokenInDemoMode() throws Exception {
    ExporterConfig c = valid(Map.of(), "--demo");
    assertThat(c.server().demo()).isTrue();
    assertThat(c.homeserver().synapse()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--poll.interval=0s|--poll.interval|too short",
        "--poll.interval=500ms|--poll.interval|minimum 1s",
        "--poll.interval=15|--poll.interval|Prometheus' format",
        "--poll.interval=1m15|--poll.interval|invalid duration",
        "--poll.stale-after=soon|--poll.stale-after|invalid duration",
        "--synapse.timeout=-1s|--synapse.timeout|invalid duration",
        "--synapse.timeout=10ms|--synapse.timeout|too short",
        "--synapse.url=ftp://h|--synapse.url|http:// or https://",
        "--synapse.url=localhost:8008|--synapse.url|http:// or https://",
        "--synapse.url=http://user:pw@h:8008|--synapse.url|credentials",
        "--synapse.url=http://h:8008/?x=1|--synapse.url|query",
        "--synapse.url=http://|--synapse.url|invalid URL",
        "--synapse.url=http://h:8008/a b|--synapse.url|invalid URL",
        "--synapse.tls.ca-file=/nonexistent/ca.pem|--synapse.tls.ca-file|no such file",
        "--synapse.tls.insecure-skip-verify=maybe|--synapse.tls.insecure-skip-verify|true or false",
        "--web.listen-address=9657|--web.listen-address|host:port",
        "--web.listen-address=:99999|--web.listen-address|0-65535",
        "--web.listen-address=::1:9657|--web.listen-address|brackets",
        "--web.telemetry-path=metrics|--web.telemetry-path|must start with /",
        "--web.telemetry-path=/|--web.telemetry-path|taken",
        "--web.telemetry-path=/-/healthy|--web.telemetry-path|taken",
        "--log.level=trace|--log.level|debug, info, warn, error",
        "--log.format=xml|--log.format|logfmt, json",
        "--web.disable-exporter-metrics=2|--web.disable-exporter-metrics|true or false",
      })
  void rejectsABadValueNamingTheFlag(String arg, String flag, String hint) throws Exception {
    Path token = tokenFile("tok");
    String[] args = {"--synapse.url=http://localhost:8008", "--synapse.token-file=" + token, arg};
    assertThatThrownBy(() -> Configs.of(Map.of(), args))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.flag()).isEqualTo(flag))
        .hasMessageStartingWith(flag + ": ")
        .hasMessageContaining(hint);
  }

  @Test
  void requiresTheUrlUnlessDemo() throws Exception {
    assertThatThrownBy(() -> Configs.of(Map.of("SYNAPSE_ADMIN_TOKEN", "t")))
        .hasMessageStartingWith("--synapse.url: required");
  }

  @Test
  void refusesATokenInTheEnvironmentLongerThanATokenFileMayBe() {
    String huge = "syt_" + "x".repeat(5000);
    assertThatThrownBy(
            () -> Configs.of(Map.of("SYNAPSE_ADMIN_TOKEN", huge), "--synapse.url=http://h"))
        .hasMessageStartingWith("SYNAPSE_ADMIN_TOKEN: is longer than 4096 characters")
        .hasMessageNotContaining("xxxx");
  }

  @Test
  void requiresAToken() {
    assertThatThrownBy(() -> Configs.of(Map.of(), "--synapse.url=http://h"))
        .hasMessageStartingWith("--synapse.token-file: required");
  }

  @Test
  void rejectsAMissingEmptyOrMultiLineTokenFile() throws Exception {
    assertThatThrownBy(
            () ->
                Configs.of(
                    Map.of(),
                    "--synapse.url=http://h",
                    "--synapse.token-file=" + dir.resolve("nope")))
        .hasMessageStartingWith("--synapse.token-file: ")
        .hasMessageContaining("no such file");
    Path empty = tokenFile(" \n\n");
    assertThatThrownBy(
            () -> Configs.of(Map.of(), "--synapse.url=http://h", "--synapse.token-file=" + empty))
        .hasMessageContaining("empty");
    Path twoLines = tokenFile("abc\ndef\n");
    assertThatThrownBy(
            () ->
                Configs.of(Map.of(), "--synapse.url=http://h", "--synapse.token-file=" + twoLines))
        .hasMessageContaining("whitespace");
  }

  @Test
  void refusesTwoTokenSourcesAtOnce() throws Exception {
    Path token = tokenFile("tok");
    assertThatThrownBy(
            () ->
                Configs.of(
                    Map.of("SYNAPSE_ADMIN_TOKEN", "x"),
                    "--synapse.url=http://h",
                    "--synapse.token-file=" + token))
        .hasMessageContaining("use only one");
  }

  @Test
  void neverPrintsTheTokenInTheEffectiveConfiguration() throws Exception {
    ExporterConfig c =
        valid(Map.of("SYNAPSE_ADMIN_TOKEN", "s3cr3t-token"), "--synapse.url=http://h");
    assertThat(c.describe())
        .doesNotContain("s3cr3t-token")
        .contains("environment SYNAPSE_ADMIN_TOKEN");
    assertThat(c.homeserver().token().orElseThrow().current()).hasToString("<redacted>");
  }
}

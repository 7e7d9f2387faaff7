package io.github.synapsebgu.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.source.database.DatabaseUrl;
import io.github.synapsebgu.exporter.testing.Configs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flags of the optional sources, through the daemon's parsing and validation. */
class SourcesConfigTest {
  @TempDir Path dir;

  private ExporterConfig config(Map<String, String> env, String... sourceFlags) throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "t");
    String[] args = new String[sourceFlags.length + 2];
    args[0] = "--synapse.url=http://localhost:8008";
    args[1] = "--synapse.token-file=" + token;
    System.arraycopy(sourceFlags, 0, args, 2, sourceFlags.length);
    return Configs.of(env, args);
  }

  private SourcesConfig sources(Map<String, String> env, String... sourceFlags) throws Exception {
    return config(env, sourceFlags).homeserver().sources();
  }

  @Test
  void without_the_flags_there_is_no_other_source() throws Exception {
    assertThat(sources(Map.of())).isEqualTo(SourcesConfig.NONE);
    assertThat(sources(Map.of()).any()).isFalse();
  }

  @Test
  void the_metrics_url_and_repeated_database_urls_are_kept_with_their_names() throws Exception {
    SourcesConfig s =
        sources(
            Map.of(),
            "--synapse.metrics-url=http://synapse:9000/_synapse/metrics",
            "--database.url=postgresql://exporter@db:5432/synapse",
            "--database.url=state=sqlite:/var/lib/synapse/state.db");
    assertThat(s.metricsUrl()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(9000));
    assertThat(s.databases()).extracting(DatabaseUrl::name).containsExactly("master", "state");
  }

  @Test
  void the_database_variable_takes_several_urls_separated_by_whitespace() throws Exception {
    SourcesConfig s =
        sources(
            Map.of(
                "DATABASE_URL",
                " postgresql://exporter@db/synapse\n state=postgresql://exporter@db2/state ",
                "SYNAPSE_METRICS_URL",
                "http://synapse:9000/_synapse/metrics"));
    assertThat(s.databases()).extracting(DatabaseUrl::name).containsExactly("master", "state");
    assertThat(s.metricsUrl()).isPresent();
  }

  @Test
  void the_flag_wins_over_the_database_variable() throws Exception {
    SourcesConfig s =
        sources(
            Map.of("DATABASE_URL", "postgresql://a@db/synapse"),
            "--database.url=sqlite:/var/lib/synapse/homeserver.db");
    assertThat(s.databases()).singleElement().isInstanceOf(DatabaseUrl.Sqlite.class);
  }

  @Test
  void a_password_in_the_database_url_is_refused_without_repeating_it() {
    assertThatThrownBy(
            () -> sources(Map.of(), "--database.url=postgresql://exporter:hunter2@db/synapse"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--database.url: ")
        .hasMessageContaining("password")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void the_same_database_twice_is_refused() {
    assertThatThrownBy(
            () ->
                sources(
                    Map.of(),
                    "--database.url=postgresql://a@db/synapse",
                    "--database.url=master=sqlite:/x.db"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("master is given twice");
  }

  @Test
  void a_metrics_url_with_credentials_or_another_scheme_is_refused() {
    assertThatThrownBy(
            () -> sources(Map.of(), "--synapse.metrics-url=http://u:secretpw@synapse:9000/m"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--synapse.metrics-url: ")
        .hasMessageNotContaining("secretpw");
    assertThatThrownBy(() -> sources(Map.of(), "--synapse.metrics-url=ftp://synapse/m"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http://");
  }

  @Test
  void a_password_file_is_read_at_start_and_needs_a_postgresql_database() throws Exception {
    Path pw = dir.resolve("pw");
    Files.writeString(pw, "s3cret\n");
    assertThat(
            sources(
                    Map.of(),
                    "--database.url=postgresql://a@db/synapse",
                    "--database.password-file=" + pw)
                .passwordFile())
        .isPresent();
    assertThatThrownBy(() -> sources(Map.of(), "--database.password-file=" + pw))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--database.password-file: ")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(
            () ->
                sources(
                    Map.of(),
                    "--database.url=postgresql://a@db/synapse",
                    "--database.password-file=" + dir.resolve("missing")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no such file");
  }
}

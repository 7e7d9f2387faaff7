package io.github.synapsebgu.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.source.database.DatabaseUrl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetFileTest {
  @TempDir Path dir;

  private static FleetFileValidator.Result validate(String yaml) {
    return FleetFile.parse(yaml.getBytes(StandardCharsets.UTF_8), FleetDefaults.ofFlagDefaults());
  }

  private static List<String> problems(String yaml) {
    return validate(yaml).problems().stream().map(FleetProblem::toString).toList();
  }

  @Test
  void the_issues_example_gives_its_homeservers_with_defaults_applied() {
    FleetFileValidator.Result r =
        validate(
            """
            defaults:            # optional
              poll_interval: 30s
              timeout: 10s
              stale_after: 5m
              labels: {region: eu}
            homeservers:
              example-org:
                url: https://matrix.example.org/
                token_file: /etc/synapse-bgu-exporter/tokens/example-org
                labels: {customer: acme}
              other.net:
                url: http://other.net:8008
                token_file: /tokens/other
                timeout: 3s
                insecure_skip_verify: true
                metrics_url: http://other.net:9000/_synapse/metrics
                databases:
                  master: postgresql://bgu@db:5432/synapse
                labels: {region: us}
            """);
    assertThat(r.problems()).isEmpty();
    assertThat(r.members())
        .extracting(FleetMember::name)
        .containsExactly("example-org", "other.net");
    FleetMember a = r.members().get(0);
    assertThat(a.spec().url()).hasToString("https://matrix.example.org");
    assertThat(a.spec().pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(a.spec().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(a.spec().insecureSkipVerify()).isFalse();
    assertThat(a.labels()).isEqualTo(Map.of("region", "eu", "customer", "acme"));
    FleetMember b = r.members().get(1);
    assertThat(b.spec().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(b.spec().pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.spec().insecureSkipVerify()).isTrue();
    assertThat(b.spec().metricsUrl()).isPresent();
    assertThat(b.spec().databases()).singleElement().isInstanceOf(DatabaseUrl.Postgres.class);
    assertThat(b.labels()).isEqualTo(Map.of("region", "us"));
  }

  @Test
  void without_defaults_the_flags_defaults_apply() {
    FleetMember m =
        validate("homeservers:\n  a:\n    url: http://a\n    token_file: /t\n").members().get(0);
    assertThat(m.spec().pollInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(m.spec().staleAfter()).isEqualTo(Duration.ofMinutes(5));
    assertThat(m.spec().timeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void an_unknown_key_is_named_with_its_line() {
    assertThat(
            problems(
                """
                homeservers:
                  a:
                    url: http://a
                    token_file: /t
                    poll_intervall: 30s
                """))
        .singleElement()
        .asString()
        .startsWith("line 5: homeservers.a.poll_intervall: unknown key (known: ");
  }

  @Test
  void a_duplicate_key_is_named_with_both_lines() {
    assertThat(
            problems(
                """
                homeservers:
                  a:
                    url: http://a
                    token_file: /t
                  a:
                    url: http://b
                    token_file: /t
                """))
        .containsExactly("line 5: homeservers.a: duplicate key (first at line 2)");
  }

  @Test
  void wrong_types_are_named_with_what_was_found() {
    assertThat(
            problems(
                """
                homeservers:
                  a:
                    url: http://a
                    token_file: /t
                    poll_interval: 30
                    insecure_skip_verify: "yes"
                    labels: [a, b]
                """))
        .containsExactly(
            "line 5: homeservers.a.poll_interval: must be a string, got a number",
            "line 6: homeservers.a.insecure_skip_verify: must be true or false, got a string",
            "line 7: homeservers.a.labels: must be a mapping, got a list");
  }

  @Test
  void every_problem_is_listed_not_only_the_first() {
    assertThat(
            problems(
                """
                defaults:
                  timeout: 1ms
                homeservers:
                  "bad name":
                    url: http://a
                    token_file: /t
                  b:
                    token_file: /t
                  c:
                    url: ftp://c
                  d:
                    url: http://d
                    token_file: /t
                    labels: {__reserved: x, ok: 1}
                """))
        .containsExactly(
            "line 2: defaults.timeout: \"1ms\" is too short (minimum 100ms)",
            "line 4: homeservers.bad name: invalid name (letters, digits, '_', '.', '-'; at most"
                + " 128): it is what /probe?target= takes",
            "line 7: homeservers.b.url: required: the homeserver's base URL",
            "line 10: homeservers.c.url: URL must start with http:// or https://, e.g."
                + " http://localhost:8008",
            "line 9: homeservers.c.token_file: required: a file holding a server admin's access"
                + " token (secrets only by file)",
            "line 14: homeservers.d.labels.__reserved: invalid label name ([a-zA-Z_][a-zA-Z0-9_]*,"
                + " not starting with __, at most 128)",
            "line 14: homeservers.d.labels.ok: must be a string, got a number");
  }

  @Test
  void a_url_with_credentials_is_refused_with_the_flags_words() throws Exception {
    String flagProblem;
    try {
      FlagCatalog.SYNAPSE_URL.parse("http://user:secret@a");
      throw new AssertionError("the flag took it");
    } catch (ConfigException e) {
      flagProblem = e.problem();
    }
    List<String> problems =
        problems("homeservers:\n  a:\n    url: http://user:secret@a\n    token_file: /t\n");
    assertThat(problems).containsExactly("line 3: homeservers.a.url: " + flagProblem);
    assertThat(String.join("\n", problems)).doesNotContain("secret");
  }

  @Test
  void a_database_url_with_a_password_is_refused_without_echoing_it() {
    List<String> problems =
        problems(
            """
            homeservers:
              a:
                url: http://a
                token_file: /t
                databases:
                  master: postgresql://bgu:hunter2@db/synapse
            """);
    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith("line 6: homeservers.a.databases.master:");
    assertThat(problems.get(0)).doesNotContain("hunter2");
  }

  @Test
  void files_that_are_not_a_fleet_say_so() {
    assertThat(problems("")).containsExactly("the file is empty: it needs homeservers:");
    assertThat(problems("- a\n- b\n")).containsExactly("line 1: must be a mapping, got a list");
    assertThat(problems("homeservers: {}\n"))
        .containsExactly("line 1: homeservers: required: at least one");
    assertThat(problems("homeservers:\n  a: [\n"))
        .singleElement()
        .asString()
        .contains("invalid YAML");
    assertThat(problems("defaults: {}\n"))
        .containsExactly("line 1: homeservers: required: at least one");
    assertThat(problems("homeservers:\n  a:\n    url: http://a\n    token_file: /t\n---\nx: 1\n"))
        .singleElement()
        .asString()
        .contains("only one YAML document");
  }

  @Test
  void loading_opens_each_token_file_and_lists_every_unreadable_one() throws Exception {
    Path token = dir.resolve("a-token");
    Files.writeString(token, "syt_secret_a\n");
    Path file = dir.resolve("fleet.yaml");
    Files.writeString(
        file,
        "homeservers:\n  a:\n    url: http://a\n    token_file: "
            + token
            + "\n  b:\n    url: http://b\n    token_file: "
            + dir.resolve("missing")
            + "\n  c:\n    url: http://c\n    token_file: "
            + dir
            + "\n");
    assertThatThrownBy(() -> FleetFile.load(file, FleetDefaults.ofFlagDefaults(), Shard.ALL))
        .isInstanceOfSatisfying(
            FleetFileException.class,
            e ->
                assertThat(e.problems())
                    .extracting(FleetProblem::toString)
                    .satisfiesExactly(
                        p ->
                            assertThat(p)
                                .startsWith("line 5: homeservers.b.token_file: ")
                                .contains("no such file"),
                        p ->
                            assertThat(p)
                                .startsWith("line 8: homeservers.c.token_file: ")
                                .contains("directory")));
    Files.writeString(
        file, "homeservers:\n  a:\n    url: http://a\n    token_file: " + token + "\n");
    List<FleetHomeserver> loaded = FleetFile.load(file, FleetDefaults.ofFlagDefaults(), Shard.ALL);
    assertThat(loaded)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.config().name()).isEqualTo("a");
              assertThat(h.config().token().orElseThrow().current().reveal())
                  .isEqualTo("syt_secret_a");
              assertThat(h.config().synapse().orElseThrow().baseUrl()).hasToString("http://a");
            });
  }

  @Test
  void ten_thousand_homeservers_load_well_under_a_second() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "syt_token\n");
    StringBuilder yaml = new StringBuilder("defaults:\n  poll_interval: 30s\nhomeservers:\n");
    for (int i = 0; i < 10_000; i++) {
      yaml.append("  hs-")
          .append(i)
          .append(":\n    url: https://hs-")
          .append(i)
          .append(".example.org\n    token_file: ")
          .append(token)
          .append("\n    labels: {customer: c")
          .append(i % 97)
          .append("}\n");
    }
    Path file = dir.resolve("fleet.yaml");
    Files.writeString(file, yaml);
    FleetFile.load(file, FleetDefaults.ofFlagDefaults(), Shard.ALL); // warm up the classes
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    List<FleetHomeserver> loaded = FleetFile.load(file, FleetDefaults.ofFlagDefaults(), Shard.ALL);
    long millis = (System.nanoTime() - start) / 1_000_000;
    long cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
    assertThat(loaded).hasSize(10_000);
    // A figure for the README, not an assertion: timings on a shared CI machine vary.
    System.out.println(
        "FleetFileTest: 10,000 homeservers ("
            + Files.size(file)
            + " bytes) parsed, validated and token files opened in "
            + millis
            + " ms ("
            + cpuMillis
            + " ms of CPU)");
  }
}

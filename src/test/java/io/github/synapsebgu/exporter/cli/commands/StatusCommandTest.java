package io.github.synapsebgu.exporter.cli.commands;

import static io.github.synapsebgu.exporter.testing.SynapseAnswers.badGateway;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.idle;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.json;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.notAdmin;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.paused;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import io.github.synapsebgu.exporter.testing.SynapseBodies.Update;
import io.github.synapsebgu.exporter.testing.Wire;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StatusCommandTest {
  @RegisterExtension static final FakeSynapse synapse = FakeSynapse.start();
  private static final String TWO_DATABASES =
      SynapseBodies.status(
          true,
          new Update("state_db", "state_group_edges_unique_idx", 0, 0.0, null),
          new Update(
              "basement", "populate_stats_process_users", 123456, 65432.0, 0.6357220412595005));

  private final Cli cli = new Cli();

  @Test
  void showsEachDatabasesUpdateAsAnAlignedTable() {
    synapse.script(json(200, TWO_DATABASES));

    Cli.Result r = cli.run(Cli.args("status", synapse.url()));

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "Synapse:            "
                + synapse.url()
                + "\n"
                + "Background updates: enabled\n"
                + "\n"
                + "DATABASE  UPDATE                          ITEMS  RUN TIME   RATE\n"
                + "basement  populate_stats_process_users  123,456      1m5s  636/s\n"
                + "state_db  state_group_edges_unique_idx        0       0ms      -\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void saysWhenNothingRunsAndThatThisMayBeRightAfterAStart() {
    synapse.script(idle());

    Cli.Result r = cli.run(Cli.args("status", synapse.url()));

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Current updates:    none (all done, or Synapse has only just");
  }

  @Test
  void showsAPauseAndStillExitsZeroBecauseTheStatusWasRead() {
    synapse.script(paused("room_membership_user_room_index", 0, 0.0, null));

    Cli.Result r = cli.run(Cli.args("status", synapse.url()));

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Background updates: PAUSED (enabled: false)");
  }

  @Test
  void jsonOutputHasTheDocumentedShape() {
    synapse.script(json(200, TWO_DATABASES));

    Cli.Result r = cli.run(Cli.args("status", synapse.url(), "--output", "json"));

    assertThat(r.exitCode()).isZero();
    JsonNode root = JsonMapper.builder().build().readTree(r.out());
    assertThat(root.propertyNames())
        .containsExactly("synapse_url", "enabled", "in_progress", "current_updates");
    assertThat(root.get("synapse_url").stringValue()).isEqualTo(synapse.url().toString());
    assertThat(root.get("enabled").booleanValue()).isTrue();
    assertThat(root.get("in_progress").intValue()).isEqualTo(2);
    JsonNode first = root.get("current_updates").get(0);
    assertThat(first.propertyNames())
        .containsExactly(
            "database", "update", "items_processed", "duration_seconds", "items_per_second");
    assertThat(first.get("database").stringValue()).isEqualTo("basement");
    assertThat(first.get("update").stringValue()).isEqualTo("populate_stats_process_users");
    assertThat(first.get("items_processed").longValue()).isEqualTo(123456);
    assertThat(first.get("duration_seconds").doubleValue()).isEqualTo(65.432);
    assertThat(first.get("items_per_second").doubleValue()).isCloseTo(635.722, within());
    assertThat(root.get("current_updates").get(1).get("items_per_second").isNull()).isTrue();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.001);
  }

  @Test
  void jsonOutputWhenNothingRunsIsAnEmptyList() {
    synapse.script(idle());

    Cli.Result r = cli.run(Cli.args("status", synapse.url(), "-o", "json"));

    JsonNode root = JsonMapper.builder().build().readTree(r.out());
    assertThat(root.get("in_progress").intValue()).isZero();
    assertThat(root.get("current_updates").isArray()).isTrue();
    assertThat(root.get("current_updates").size()).isZero();
  }

  @Test
  void anUnreachableSynapseExitsThreeWithTheReasonOnStderrOnly() throws IOException {
    int closedPort = Wire.closedPort();

    Cli.Result r = cli.run(Cli.args("status", "http://127.0.0.1:" + closedPort, "-o", "json"));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith(
            "synapse-bgu-exporter status: cannot use Synapse's admin API at http://127.0.0.1:"
                + closedPort
                + " [connect]: cannot connect");
  }

  @Test
  void aProxyErrorPageIsReportedAsServerError() {
    synapse.script(badGateway());

    Cli.Result r = cli.run(Cli.args("status", synapse.url()));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).contains("[server_error]: HTTP 502").contains("502 Bad Gateway");
  }

  @Test
  void aNonAdminTokenExitsThreeWithSynapsesWords() {
    synapse.script(notAdmin());

    Cli.Result r = cli.run(Cli.args("status", synapse.url()));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).contains("[forbidden]").contains("M_FORBIDDEN: You are not a server admin");
    assertThat(r.all()).doesNotContain(FakeSynapse.TOKEN);
  }

  @Test
  void anAnswerThatIsNotTheStatusJsonExitsThree() {
    synapse.script(json(200, "{\"enabled\":\"yes\"}"));

    Cli.Result r = cli.run(Cli.args("status", synapse.url()));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).contains("[invalid_response]").contains("\"enabled\" must be a boolean");
  }

  @Test
  void readsUrlAndTokenFileFromTheEnvironmentLikeTheDaemon() throws IOException {
    synapse.script(idle());
    java.nio.file.Path tokenFile = java.nio.file.Files.createTempFile("token", ".txt");
    try {
      java.nio.file.Files.writeString(tokenFile, FakeSynapse.TOKEN + "\n");
      cli.env.remove("SYNAPSE_ADMIN_TOKEN");
      cli.env.put("SYNAPSE_URL", synapse.url().toString());
      cli.env.put("SYNAPSE_TOKEN_FILE", tokenFile.toString());

      Cli.Result r = cli.run("status");

      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).contains("Background updates: enabled");
    } finally {
      java.nio.file.Files.delete(tokenFile);
    }
  }

  @Test
  void missingUrlOrTokenOrABadOutputIsAUsageError() {
    Cli.Result noUrl = cli.run("status");
    assertThat(noUrl.exitCode()).isEqualTo(2);
    assertThat(noUrl.err())
        .isEqualTo(
            "synapse-bgu-exporter status: --synapse.url: required: the homeserver's base URL,"
                + " e.g. http://localhost:8008\n");

    cli.env.remove("SYNAPSE_ADMIN_TOKEN");
    assertThat(cli.run(Cli.args("status", synapse.url())).err())
        .contains("--synapse.token-file: required");

    cli.env.put("SYNAPSE_ADMIN_TOKEN", FakeSynapse.TOKEN);
    assertThat(cli.run(Cli.args("status", synapse.url(), "--output", "yaml")).err())
        .contains("--output: invalid value \"yaml\" (one of table, json)");
    assertThat(synapse.requestCount()).isZero();
  }
}

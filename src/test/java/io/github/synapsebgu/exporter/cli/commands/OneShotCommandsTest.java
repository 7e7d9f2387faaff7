package io.github.synapsebgu.exporter.cli.commands;

import static io.github.synapsebgu.exporter.testing.SynapseAnswers.badGateway;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.json;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.notAdmin;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.raw;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** pause, resume and start-job: one request each, answered as Synapse 1.160 answered. */
class OneShotCommandsTest {
  @RegisterExtension static final FakeSynapse synapse = FakeSynapse.start();

  private final Cli cli = new Cli();

  private Cli.Result run(String command, String... more) {
    return cli.run(Cli.args(command, synapse.url(), more));
  }

  private String onlyPostBody(Call call) {
    assertThat(synapse.requests(call)).hasSize(1);
    var request = synapse.requests(call).get(0);
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + FakeSynapse.TOKEN);
    assertThat(request.getHeader("Content-Type")).startsWith("application/json");
    return request.getBodyAsString();
  }

  @Test
  void pauseDisablesUpdatesAndSaysForHowLong() {
    Cli.Result r = run("pause");

    assertThat(r.exitCode()).isZero();
    assertThat(onlyPostBody(Call.SET_ENABLED)).isEqualTo("{\"enabled\":false}");
    assertThat(r.out())
        .isEqualTo(
            "Paused background updates on "
                + synapse.url()
                + ". They stay paused until `resume` or a Synapse restart.\n");
  }

  @Test
  void pauseForIsAUsageErrorThatPointsToTheDaemonsAdminApi() {
    Cli.Result r = run("pause", "--for", "30m");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("synapse-bgu-exporter pause: --for: a timed pause needs something")
        .contains("POST /api/v1/enabled with {\"enabled\": false, \"for\": \"30m\"}");
    assertThat(synapse.requestCount()).isZero();
  }

  @Test
  void resumeEnablesUpdates() {
    synapse.enabled(false);

    Cli.Result r = run("resume");

    assertThat(r.exitCode()).isZero();
    assertThat(onlyPostBody(Call.SET_ENABLED)).isEqualTo("{\"enabled\":true}");
    assertThat(r.out()).isEqualTo("Resumed background updates on " + synapse.url() + ".\n");
  }

  @Test
  void anAnswerThatContradictsTheRequestIsNotReportedAsSuccess() {
    synapse.answer(Call.SET_ENABLED, json(200, SynapseBodies.ENABLED_TRUE));

    Cli.Result r = run("pause");

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("unexpected body, so the outcome is unknown: {\"enabled\":true}");
  }

  @Test
  void startJobSendsTheJobName() {
    Cli.Result r = run("start-job", "regenerate_directory");

    assertThat(r.exitCode()).isZero();
    assertThat(onlyPostBody(Call.START_JOB)).isEqualTo("{\"job_name\":\"regenerate_directory\"}");
    assertThat(r.out()).contains("queued job regenerate_directory");
  }

  @Test
  void eventResignCarriesOldKeyAndBeforeTs() {
    Cli.Result r =
        run(
            "start-job",
            "event_resign",
            "--old-key",
            "ed25519:a_old",
            "--before-ts",
            "1767225600000");

    assertThat(r.exitCode()).isZero();
    assertThat(onlyPostBody(Call.START_JOB))
        .isEqualTo(
            "{\"job_name\":\"event_resign\",\"old_key\":\"ed25519:a_old\","
                + "\"before_ts\":1767225600000}");
  }

  @Test
  void aRefusalIsShownWithSynapsesTextAsIsAndExitsOne() {
    synapse.answer(Call.START_JOB, json(400, SynapseBodies.alreadyQueued("regenerate_directory")));

    Cli.Result r = run("start-job", "regenerate_directory");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "synapse-bgu-exporter start-job: Synapse refused the request (HTTP 400, M_UNKNOWN):"
                + " Job regenerate_directory is already in queue of background updates.\n");
  }

  @Test
  void anOldSynapseRefusingEventResignGetsAVersionHint() {
    // Before 1.152, Synapse knew no such job.
    synapse.answer(Call.START_JOB, json(400, SynapseBodies.INVALID_JOB_NAME));

    Cli.Result r = run("start-job", "event_resign");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .endsWith(": Invalid job_name (event_resign needs Synapse 1.152 or later)\n");
  }

  @Test
  void jobNamesAndTheirFlagsAreCheckedBeforeAskingSynapse() {
    assertThat(run("start-job", "nope").err())
        .isEqualTo(
            "synapse-bgu-exporter start-job: NAME: unknown job \"nope\" (one of"
                + " populate_stats_process_rooms, regenerate_directory, event_resign)\n");
    assertThat(run("start-job", "regenerate_directory", "--old-key", "k").err())
        .contains("--old-key: only applies to job event_resign");
    assertThat(run("start-job", "populate_stats_process_rooms", "--before-ts", "1").exitCode())
        .isEqualTo(2);
    assertThat(run("start-job", "event_resign", "--before-ts", "x").err())
        .contains("--before-ts: \"x\" is not a time in milliseconds since the Unix epoch");
    assertThat(run("start-job").exitCode()).isEqualTo(2);
    assertThat(synapse.requestCount()).isZero();
  }

  @Test
  void authAndProxyFailuresMeanTheApiCannotBeUsedExitThree() {
    synapse.answer(Call.SET_ENABLED, notAdmin());
    Cli.Result forbidden = run("resume");
    assertThat(forbidden.exitCode()).isEqualTo(3);
    assertThat(forbidden.err())
        .contains("[forbidden]")
        .contains("M_FORBIDDEN: You are not a server admin");

    synapse.reset();
    synapse.answer(Call.SET_ENABLED, badGateway());
    assertThat(run("pause").exitCode()).isEqualTo(3);

    synapse.reset();
    // A 400 without Synapse's JSON comes from something in between, not from Synapse.
    synapse.answer(Call.START_JOB, raw(400, "text/html", "<h1>Bad Request</h1>"));
    Cli.Result proxy = run("start-job", "regenerate_directory");
    assertThat(proxy.exitCode()).isEqualTo(3);
    assertThat(proxy.err()).contains("[http_other]").contains("<h1>Bad Request</h1>");
  }

  @Test
  void theTokenNeverAppearsInOutput() {
    cli.env.put("SYNAPSE_ADMIN_TOKEN", "syt_not_the_right_one_42");

    Cli.Result r = run("pause");

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).contains("[unauthorized]").contains("M_UNKNOWN_TOKEN");
    assertThat(r.all()).doesNotContain("syt_not_the_right_one_42");
  }
}

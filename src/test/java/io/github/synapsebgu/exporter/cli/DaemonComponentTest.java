package io.github.synapsebgu.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.testing.Configs;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.LogCapture;
import io.github.synapsebgu.exporter.testing.MutableClock;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import io.github.synapsebgu.exporter.testing.Wire;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole daemon over real HTTP: a fake homeserver on one side, scrapes on the other. */
class DaemonComponentTest {
  private static final String TOKEN = FakeSynapse.TOKEN;
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  @TempDir Path dir;
  private FakeSynapse synapse;
  private final MutableClock clock = new MutableClock(T0);
  private Daemon daemon;
  private LogCapture logs;

  @BeforeEach
  void setUp() {
    synapse = FakeSynapse.start();
    logs = new LogCapture();
  }

  @AfterEach
  void tearDown() {
    if (daemon != null) {
      daemon.close();
    }
    synapse.close();
    // Whatever happened in the test, the token must not have been logged.
    assertThat(logs.all()).doesNotContain(TOKEN);
    logs.close();
  }

  private void synapseAnswers(String body) {
    synapse.answer(Call.STATUS, SynapseAnswers.status(body));
  }

  private void synapseFails(int status, String body) {
    synapse.answer(Call.STATUS, SynapseAnswers.json(status, body));
  }

  private void start(String... extra) throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN + "\n");
    String[] base = {
      "--synapse.url=" + synapse.url(),
      "--synapse.token-file=" + token,
      "--web.listen-address=127.0.0.1:0",
      "--web.disable-exporter-metrics",
      "--poll.interval=1h",
      "--poll.stale-after=5m",
      "--synapse.timeout=15s",
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    daemon = Daemon.start(Configs.of(Map.of(), args), clock, new BuildInfo("1.2.3", "abc", "17"));
    // The first poll starts at once; wait for it so each test begins from a known state.
    awaitFirstPoll();
  }

  private void awaitFirstPoll() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!daemon.poller().snapshot().firstPollDone() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(daemon.poller().snapshot().firstPollDone()).isTrue();
  }

  private void poll() throws Exception {
    daemon.poller().pollNow().get(10, TimeUnit.SECONDS);
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + daemon.address().getPort() + path);
  }

  private String metrics() throws Exception {
    HttpResponse<String> r = Wire.get(url("/metrics"));
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void exposesTheCurrentUpdateWithExactValues() throws Exception {
    synapseAnswers(SynapseBodies.RUNNING_12);
    start();
    assertThat(metrics())
        .contains("synapse_background_updates_enabled 1.0\n")
        .contains("synapse_background_updates_in_progress 1.0\n")
        .contains(
            "synapse_background_update_items_processed{database=\"master\",update=\"populate_stats_process_rooms\"} 12.0\n")
        .contains(
            "synapse_background_update_duration_seconds{database=\"master\",update=\"populate_stats_process_rooms\"} 0.019\n")
        .contains(
            "synapse_background_update_items_per_second{database=\"master\",update=\"populate_stats_process_rooms\"} 635.7220412595005\n")
        .contains(
            "synapse_background_update_last_progress_timestamp_seconds{database=\"master\",update=\"populate_stats_process_rooms\"} 1.7957736E9\n")
        .contains("synapse_background_updates_up 1.0\n")
        .contains("synapse_background_updates_last_poll_success_timestamp_seconds 1.7957736E9\n")
        .contains("synapse_background_updates_polls_total 1.0\n")
        .contains("synapse_background_updates_poll_errors_total{reason=\"timeout\"} 0.0\n")
        .contains(
            "synapse_bgu_exporter_build_info{java_version=\"17\",revision=\"abc\",version=\"1.2.3\"} 1\n")
        .doesNotContain("\njvm_")
        .doesNotContain("\nprocess_");
  }

  @Test
  void leavesTheRateOutWhileSynapseReportsNull() throws Exception {
    synapseAnswers(SynapseBodies.NULL_RATE);
    start();
    String m = metrics();
    assertThat(m)
        .contains(
            "synapse_background_update_items_processed{database=\"master\",update=\"populate_user_directory_process_users\"} 0.0")
        .doesNotContain("synapse_background_update_items_per_second{");
  }

  @Test
  void showsAPausedUpdaterAsDisabledWithItsUpdateStillListed() throws Exception {
    synapseAnswers(SynapseBodies.PAUSED);
    start();
    assertThat(metrics())
        .contains("synapse_background_updates_enabled 0.0\n")
        .contains("synapse_background_updates_in_progress 1.0\n")
        .contains("update=\"room_membership_user_room_index\"");
  }

  @Test
  void dropsTheSeriesOfAFinishedUpdateAtTheNextPoll() throws Exception {
    synapseAnswers(SynapseBodies.RUNNING_12);
    start();
    assertThat(metrics()).contains("populate_stats_process_rooms");
    synapseAnswers(SynapseBodies.NOTHING);
    poll();
    assertThat(metrics())
        .doesNotContain("populate_stats_process_rooms")
        .contains("synapse_background_updates_in_progress 0.0\n");
  }

  @Test
  void labelsEachDatabaseOfASplitSetup() throws Exception {
    synapseAnswers(SynapseBodies.SPLIT);
    start();
    assertThat(metrics())
        .contains(
            "synapse_background_update_items_processed{database=\"basement\",update=\"populate_stats_process_users\"} 1.0");
  }

  @Test
  void movesTheLastProgressTimestampOnlyWhenTheItemCountGrows() throws Exception {
    synapseAnswers(SynapseBodies.RUNNING_2);
    start();
    String series =
        "synapse_background_update_last_progress_timestamp_seconds{database=\"master\",update=\"populate_stats_process_rooms\"} ";
    assertThat(metrics()).contains(series + "1.7957736E9\n");
    clock.advance(Duration.ofSeconds(30));
    poll(); // same count
    assertThat(metrics()).contains(series + "1.7957736E9\n");
    clock.advance(Duration.ofSeconds(30));
    synapseAnswers(SynapseBodies.RUNNING_12);
    poll(); // grew
    assertThat(metrics()).contains(series + "1.79577366E9\n");
  }

  @Test
  void countsEachFailureByReasonAndRecovers() throws Exception {
    synapseFails(403, SynapseBodies.NOT_ADMIN);
    start();
    synapseFails(401, SynapseBodies.UNKNOWN_TOKEN);
    poll();
    synapseFails(404, SynapseBodies.UNRECOGNIZED);
    poll();
    synapse.answer(Call.STATUS, SynapseAnswers.badGateway());
    poll();
    synapse.answer(Call.STATUS, SynapseAnswers.redirect("https://x/"));
    poll();
    assertThat(metrics())
        .contains("synapse_background_updates_up 0.0\n")
        .contains("synapse_background_updates_poll_errors_total{reason=\"forbidden\"} 1.0\n")
        .contains("synapse_background_updates_poll_errors_total{reason=\"unauthorized\"} 1.0\n")
        .contains("synapse_background_updates_poll_errors_total{reason=\"not_found\"} 1.0\n")
        .contains("synapse_background_updates_poll_errors_total{reason=\"server_error\"} 1.0\n")
        .contains("synapse_background_updates_poll_errors_total{reason=\"redirect\"} 1.0\n")
        .contains("synapse_background_updates_polls_total 5.0\n")
        .contains("synapse_background_updates_last_poll_success_timestamp_seconds 0.0\n")
        .doesNotContain("synapse_background_updates_enabled ");
    assertThat(logs.all()).contains("reason=forbidden").contains("You are not a server admin");

    synapseAnswers(SynapseBodies.RUNNING_2);
    poll();
    assertThat(metrics())
        .contains("synapse_background_updates_up 1.0\n")
        .contains("synapse_background_updates_polls_total 6.0\n");
    assertThat(logs.all()).contains("Polling Synapse recovered");
  }

  @Test
  void reportsAClosedPortAsConnectAndAHangAsTimeout() throws Exception {
    synapse.answer(Call.STATUS, SynapseAnswers.hanging(Duration.ofSeconds(3)));
    start("--synapse.timeout=300ms");
    assertThat(metrics())
        .contains("synapse_background_updates_poll_errors_total{reason=\"timeout\"} 1.0\n");
    synapse.stop();
    poll();
    assertThat(metrics())
        .contains("synapse_background_updates_poll_errors_total{reason=\"connect\"} 1.0\n");
  }

  @Test
  void keepsTheLastGoodValuesUntilStaleAfterThenDropsThem() throws Exception {
    synapseAnswers(SynapseBodies.RUNNING_12);
    start("--poll.stale-after=2m");
    synapseFails(500, "{}");
    clock.advance(Duration.ofSeconds(90));
    poll();
    assertThat(metrics())
        .contains("synapse_background_updates_up 0.0\n")
        .contains("synapse_background_updates_enabled 1.0\n")
        .contains("populate_stats_process_rooms");
    clock.advance(Duration.ofSeconds(31)); // 121 s since the last success
    assertThat(metrics())
        .contains("synapse_background_updates_up 0.0\n")
        .doesNotContain("synapse_background_updates_enabled ")
        .doesNotContain("synapse_background_updates_in_progress ")
        .doesNotContain("populate_stats_process_rooms")
        .contains("synapse_background_updates_last_poll_success_timestamp_seconds 1.7957736E9\n");
  }

  @Test
  void servesHealthReadinessLandingPageAndRejectsOtherPathsAndMethods() throws Exception {
    synapse.answer(Call.STATUS, SynapseAnswers.hanging(Duration.ofMillis(1_500)));
    daemon =
        Daemon.start(
            Configs.of(
                Map.of("SYNAPSE_ADMIN_TOKEN", TOKEN),
                "--synapse.url=" + synapse.url(),
                "--web.listen-address=127.0.0.1:0",
                "--poll.interval=1h"),
            clock,
            new BuildInfo("1.2.3", "abc", "17"));
    assertThat(Wire.get(url("/-/ready")).statusCode()).isEqualTo(503);
    assertThat(Wire.get(url("/-/healthy")).statusCode()).isEqualTo(200);
    awaitFirstPoll();
    assertThat(Wire.get(url("/-/ready")).statusCode()).isEqualTo(200);

    HttpResponse<String> landing = Wire.get(url("/"));
    assertThat(landing.statusCode()).isEqualTo(200);
    assertThat(landing.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(landing.body())
        .contains("1.2.3")
        .contains(synapse.url().toString())
        .contains("href=\"/metrics\"");

    assertThat(Wire.get(url("/nope")).statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        Wire.send(
            HttpRequest.newBuilder(url("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    // JVM metrics are on by default.
    assertThat(metrics()).contains("jvm_memory_used_bytes").contains("process_cpu_seconds_total");
  }

  @Test
  void speaksOpenMetricsAndGzipWhenAsked() throws Exception {
    synapseAnswers(SynapseBodies.RUNNING_12);
    start();
    HttpResponse<String> om =
        Wire.send(
            HttpRequest.newBuilder(url("/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .build());
    assertThat(om.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).contains("openmetrics"));
    assertThat(om.body())
        .contains("# UNIT synapse_background_update_duration_seconds seconds")
        .endsWith("# EOF\n");
    HttpResponse<byte[]> gz =
        io.github.synapsebgu.exporter.testing.Wire.getBytes(url("/metrics"), "gzip");
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.body()))) {
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .contains("synapse_background_updates_up 1.0");
    }
  }

  @Test
  void servesOnACustomTelemetryPath() throws Exception {
    synapseAnswers(SynapseBodies.NOTHING);
    start("--web.telemetry-path=/custom");
    assertThat(Wire.get(url("/custom")).body()).contains("synapse_background_updates_up 1.0");
    assertThat(Wire.get(url("/metrics")).statusCode()).isEqualTo(404);
  }

  @Test
  void answersScrapesAtOnceWhileSynapseHangs() throws Exception {
    synapseAnswers(SynapseBodies.RUNNING_12);
    start("--synapse.timeout=20s");
    synapse.answer(Call.STATUS, SynapseAnswers.hanging(Duration.ofSeconds(8)));
    var hanging = daemon.poller().pollNow();
    Thread.sleep(200); // the poll is now waiting on Synapse
    long start = System.nanoTime();
    String body = metrics();
    // Far below the 8 s hang, with room for a loaded CI machine.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(hanging).isNotDone();
    assertThat(body)
        .contains("populate_stats_process_rooms")
        .contains("synapse_background_updates_up 1.0");
  }

  private static java.util.Set<Thread> threadsOfOurs() {
    java.util.Set<Thread> ours = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      if (t.isAlive()
          && (name.equals("poll-timer")
              || name.startsWith("poller-")
              || name.equals("synapse-request-deadline"))) {
        ours.add(t);
      }
    }
    return ours;
  }

  @Test
  void shares_one_poll_timer_and_one_deadline_timer_and_stops_them_on_close() throws Exception {
    java.util.Set<Thread> before = threadsOfOurs();
    synapseAnswers(SynapseBodies.RUNNING_12);
    start();
    poll();
    java.util.Set<Thread> running = threadsOfOurs();
    running.removeAll(before);
    List<String> names = running.stream().map(Thread::getName).toList();
    assertThat(names).containsOnlyOnce("poll-timer", "synapse-request-deadline");
    // Polls of one homeserver run one at a time; a worker may be replaced while it goes idle.
    assertThat(names.stream().filter(n -> n.startsWith("poller-")).count()).isBetween(1L, 2L);
    daemon.close();
    daemon = null;
    for (Thread t : running) {
      t.join(3_000);
      assertThat(t.isAlive()).as(t.getName() + " still running after close").isFalse();
    }
  }
}

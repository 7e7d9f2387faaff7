package io.github.synapsebgu.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.homeserver.Homeserver;
import io.github.synapsebgu.exporter.testing.Configs;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.LogCapture;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import io.github.synapsebgu.exporter.testing.Wire;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fleet mode over real HTTP: two fake homeservers, the daemon, and what Prometheus would ask. */
class FleetModeTest {
  @TempDir Path dir;
  private FakeSynapse alpha;
  private FakeSynapse beta;
  private Daemon daemon;
  private LogCapture logs;
  private Path file;
  private Path token;

  @BeforeEach
  void setUp() throws Exception {
    alpha = FakeSynapse.start();
    beta = FakeSynapse.start();
    alpha.running(SynapseBodies.Update.onMaster("populate_stats_process_rooms", 12, 19, 0.6));
    beta.running(SynapseBodies.Update.onMaster("regenerate_directory", 7, 3, 2.0));
    logs = new LogCapture();
    token = dir.resolve("token");
    Files.writeString(token, FakeSynapse.TOKEN + "\n");
    file = dir.resolve("fleet.yaml");
  }

  @AfterEach
  void tearDown() {
    if (daemon != null) {
      daemon.close();
    }
    alpha.close();
    beta.close();
    assertThat(logs.all()).doesNotContain(FakeSynapse.TOKEN);
    logs.close();
  }

  private String entry(String name, FakeSynapse s, String extra) {
    return "  " + name + ":\n    url: " + s.url() + "\n    token_file: " + token + "\n" + extra;
  }

  private void write(String... entries) throws Exception {
    Files.writeString(file, "homeservers:\n" + String.join("", entries));
  }

  private void start(String... extra) throws Exception {
    String[] base = {
      "--config.file=" + file, "--web.listen-address=127.0.0.1:0", "--poll.interval=1h",
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    daemon =
        Daemon.start(
            Configs.of(Map.of(), args), Clock.systemUTC(), new BuildInfo("1.2.3", "abc", "17"));
    await(() -> daemon.homeservers().values().stream().allMatch(Homeserver::ready));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + daemon.address().getPort() + path);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return Wire.get(url(path));
  }

  private HttpResponse<String> post(String path) throws Exception {
    return Wire.send(
        HttpRequest.newBuilder(url(path)).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  @Test
  void probe_serves_each_homeservers_own_metrics_and_nothing_of_the_exporter() throws Exception {
    write(entry("alpha", alpha, ""), entry("beta.example", beta, ""));
    start();
    HttpResponse<String> a = get("/probe?target=alpha");
    assertThat(a.statusCode()).isEqualTo(200);
    assertThat(a.body())
        .contains(
            "synapse_background_update_items_processed{database=\"master\",update=\"populate_stats_process_rooms\"} 12.0\n")
        .contains("synapse_background_updates_up 1.0\n")
        .contains("synapse_background_updates_polls_total 1.0\n")
        .doesNotContain("regenerate_directory")
        .doesNotContain("synapse_bgu_exporter_")
        .doesNotContain("\njvm_")
        .doesNotContain("\nprocess_");
    assertThat(get("/probe?target=beta.example").body())
        .contains(
            "synapse_background_update_items_processed{database=\"master\",update=\"regenerate_directory\"} 7.0\n")
        .doesNotContain("populate_stats_process_rooms");
    // However often it is probed, each homeserver was polled once: probes read the last poll.
    for (int i = 0; i < 5; i++) {
      get("/probe?target=alpha");
    }
    assertThat(alpha.count(Call.STATUS)).isEqualTo(1);
  }

  @Test
  void probe_answers_400_with_one_line_for_anything_but_a_known_name() throws Exception {
    write(entry("alpha", alpha, ""));
    start();
    int before = alpha.requestCount() + beta.requestCount();
    for (String bad :
        new String[] {
          "/probe",
          "/probe?",
          "/probe?target=",
          "/probe?target=nope",
          "/probe?target=" + beta.url(),
          "/probe?target=http%3A%2F%2F127.0.0.1%3A1%2F",
          "/probe?target=alpha&target=alpha",
          "/probe?target=alpha&module=x",
        }) {
      HttpResponse<String> r = get(bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.body()).as(bad).endsWith("\n").doesNotContain("127.0.0.1");
      assertThat(r.body().strip()).as(bad).doesNotContain("\n");
    }
    assertThat(get("/probe?target=nope").body())
        .isEqualTo("unknown target \"nope\": not a homeserver of this exporter\n");
    assertThat(alpha.requestCount() + beta.requestCount()).isEqualTo(before);
  }

  @Test
  void metrics_holds_only_the_exporters_own_figures_summed_over_the_fleet() throws Exception {
    write(entry("alpha", alpha, ""), entry("beta", beta, ""));
    start();
    String m = get("/metrics").body();
    assertThat(m)
        .contains(
            "synapse_bgu_exporter_build_info{java_version=\"17\",revision=\"abc\",version=\"1.2.3\"} 1\n")
        .contains("synapse_bgu_exporter_homeservers 2.0\n")
        .contains("synapse_bgu_exporter_polls_total 2.0\n")
        .contains("synapse_bgu_exporter_poll_errors_total{reason=\"timeout\"} 0.0\n")
        .contains("synapse_bgu_exporter_poll_duration_seconds_count 2\n")
        .contains("synapse_bgu_exporter_config_last_reload_successful 1.0\n")
        .contains("synapse_bgu_exporter_config_last_reload_success_timestamp_seconds ")
        .contains("jvm_")
        .doesNotContain("synapse_background_update");
  }

  @Test
  void targets_lists_the_homeservers_for_http_service_discovery() throws Exception {
    write(
        entry("alpha", alpha, "    labels: {customer: acme, tier: gold}\n"),
        entry("beta", beta, ""));
    start();
    HttpResponse<String> r = get("/targets");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.body())
        .isEqualTo(
            "[{\"targets\":[\"alpha\"],\"labels\":{\"customer\":\"acme\",\"tier\":\"gold\"}},"
                + "{\"targets\":[\"beta\"],\"labels\":{}}]");
    assertThat(get("/-/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void the_status_page_lists_the_fleet_and_follows_a_reload() throws Exception {
    write(entry("alpha", alpha, ""), entry("beta", beta, ""));
    start("--web.enable-lifecycle");
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(page.body()).contains("?homeserver=alpha").contains("?homeserver=beta");
    assertThat(get("/?homeserver=beta").statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/overview").body()).contains("\"alpha\"").contains("\"beta\"");

    write(entry("alpha", alpha, ""));
    assertThat(post("/-/reload").statusCode()).isEqualTo(200);
    // One homeserver left: the page is its own view.
    assertThat(get("/").body())
        .contains("<title>Background updates: alpha</title>")
        .doesNotContain("?homeserver=beta");
    assertThat(get("/?homeserver=beta").statusCode()).isEqualTo(404);
  }

  @Test
  void a_reload_keeps_unchanged_homeservers_closes_removed_ones_and_starts_new_ones()
      throws Exception {
    write(entry("alpha", alpha, ""), entry("beta", beta, ""));
    start("--web.enable-lifecycle");
    Homeserver alphaBefore = daemon.homeservers().get("alpha");
    Homeserver betaBefore = daemon.homeservers().get("beta");
    write(entry("alpha", alpha, "    labels: {new: label}\n"), entry("gamma", beta, ""));
    HttpResponse<String> r = post("/-/reload");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("added=1 changed=0 removed=1 kept=1");
    assertThat(daemon.homeservers().keySet()).containsExactly("alpha", "gamma");
    assertThat(daemon.homeservers().get("alpha")).isSameAs(alphaBefore);
    assertThat(get("/targets").body()).contains("\"new\":\"label\"").doesNotContain("beta");
    await(() -> daemon.homeservers().get("gamma").ready());
    assertThat(get("/probe?target=gamma").statusCode()).isEqualTo(200);
    assertThat(get("/probe?target=beta").statusCode()).isEqualTo(400);
    // The removed homeserver stopped polling.
    int betaPolls = beta.count(Call.STATUS);
    assertThatThrownBy(() -> betaBefore.poller().pollNow())
        .isInstanceOf(RejectedExecutionException.class);
    Thread.sleep(200);
    assertThat(beta.count(Call.STATUS)).isEqualTo(betaPolls);

    // A changed setting makes a new homeserver under the same name.
    write(entry("alpha", alpha, "    timeout: 3s\n"), entry("gamma", beta, ""));
    assertThat(post("/-/reload").body()).contains("added=0 changed=1 removed=0 kept=1");
    assertThat(daemon.homeservers().get("alpha")).isNotSameAs(alphaBefore);
  }

  @Test
  void an_invalid_file_keeps_the_running_set_and_says_why() throws Exception {
    write(entry("alpha", alpha, ""));
    start("--web.enable-lifecycle");
    Homeserver before = daemon.homeservers().get("alpha");
    Files.writeString(file, "homeservers:\n  alpha:\n    url: http://x\n    tokenfile: /t\n");
    HttpResponse<String> r = post("/-/reload");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("line 4: homeservers.alpha.tokenfile: unknown key");
    assertThat(daemon.homeservers().get("alpha")).isSameAs(before);
    assertThat(get("/metrics").body())
        .contains("synapse_bgu_exporter_config_last_reload_successful 0.0\n");
    assertThat(logs.all()).contains("Config file invalid, keeping the running homeservers");
  }

  @Test
  void reload_needs_the_lifecycle_flag_and_a_post_as_in_prometheus() throws Exception {
    write(entry("alpha", alpha, ""));
    start();
    assertThat(post("/-/reload").statusCode()).isEqualTo(403);
    assertThat(get("/-/reload").statusCode()).isEqualTo(405);
  }

  @Test
  void a_changed_file_is_reloaded_without_being_asked() throws Exception {
    write(entry("alpha", alpha, ""));
    start();
    write(entry("alpha", alpha, ""), entry("beta", beta, ""));
    await(() -> daemon.homeservers().containsKey("beta"));
    assertThat(logs.all()).contains("Config file reloaded").contains("trigger=\"file change\"");
  }

  @Test
  void demo_homeservers_shows_a_simulated_fleet_with_one_flag() throws Exception {
    daemon =
        Daemon.start(
            Configs.of(Map.of(), "--demo.homeservers=3", "--web.listen-address=127.0.0.1:0"),
            Clock.systemUTC(),
            new BuildInfo("1.2.3", "abc", "17"));
    await(() -> daemon.homeservers().values().stream().allMatch(Homeserver::ready));
    assertThat(get("/targets").body()).contains("\"demo-1\"").contains("\"demo-3\"");
    assertThat(get("/probe?target=demo-2").body()).contains("synapse_background_updates_up 1.0\n");
    assertThat(get("/metrics").body()).contains("synapse_bgu_exporter_homeservers 3.0\n");
    assertThat(post("/-/reload").statusCode()).as("no file to reload").isEqualTo(404);
  }

  @Test
  void sighup_reloads_the_file() throws Exception {
    write(entry("alpha", alpha, ""));
    start();
    write(entry("alpha", alpha, ""), entry("beta", beta, ""));
    Process kill =
        new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    await(() -> daemon.homeservers().containsKey("beta"));
    await(() -> logs.all().contains("trigger=SIGHUP"));
  }

  private HttpResponse<String> admin(String method, String path, String json) throws Exception {
    URI uri =
        URI.create("http://127.0.0.1:" + daemon.adminAddress().orElseThrow().getPort() + path);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + ADMIN_TOKEN);
    if (json != null) {
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return Wire.send(b.build());
  }

  private static final String ADMIN_TOKEN = "adm_5f0c2a7e9b13d4866a1f0e27c9d3b4a8";

  @Test
  void the_admin_api_takes_the_homeserver_and_keeps_a_timed_pause_across_a_reload()
      throws Exception {
    Path adminToken = dir.resolve("admin-token");
    Files.writeString(adminToken, ADMIN_TOKEN + "\n");
    write(entry("alpha", alpha, ""), entry("beta", beta, ""));
    start(
        "--admin.enabled",
        "--admin.listen-address=127.0.0.1:0",
        "--admin.token-file=" + adminToken,
        "--web.enable-lifecycle");
    HttpResponse<String> status = admin("GET", "/api/v1/homeservers/alpha/status", null);
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body())
        .contains("\"enabled\":true")
        .contains("populate_stats_process_rooms")
        .doesNotContain("regenerate_directory");
    HttpResponse<String> pause =
        admin("POST", "/api/v1/homeservers/beta/enabled", "{\"enabled\": false, \"for\": \"30m\"}");
    assertThat(pause.statusCode()).isEqualTo(200);
    assertThat(pause.body()).contains("\"enabled\":false").contains("resume_at");
    assertThat(beta.enabled()).isFalse();
    assertThat(alpha.enabled()).isTrue();
    assertThat(get("/probe?target=beta").body())
        .contains("synapse_background_updates_pause_expiry_timestamp_seconds ");

    HttpResponse<String> unknown = admin("GET", "/api/v1/homeservers/nope/status", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).startsWith("{\"error\":\"no such homeserver\"");
    assertThat(admin("GET", "/api/v1/status", null).statusCode()).isEqualTo(404);
    assertThat(admin("GET", "/api/v1/homeservers/alpha/jobs", null).statusCode()).isEqualTo(405);
    HttpResponse<String> noToken =
        Wire.get(
            URI.create(
                "http://127.0.0.1:"
                    + daemon.adminAddress().orElseThrow().getPort()
                    + "/api/v1/homeservers/nope/status"));
    assertThat(noToken.statusCode()).isEqualTo(401);

    // A reload that keeps beta's settings keeps its timed pause.
    write(entry("alpha", alpha, ""), entry("beta", beta, "    labels: {x: y}\n"));
    assertThat(post("/-/reload").statusCode()).isEqualTo(200);
    assertThat(admin("GET", "/api/v1/homeservers/beta/status", null).body())
        .contains("\"timed_pause\":{");
  }

  @Test
  void config_check_exits_0_for_a_valid_file_and_2_for_an_invalid_one() throws Exception {
    write(entry("alpha", alpha, ""));
    assertThat(Main.run(new String[] {"--config.file=" + file, "--config.check"}, Map.of()))
        .isZero();
    Files.writeString(file, "homeservers:\n  alpha:\n    url: http://a\n");
    assertThat(Main.run(new String[] {"--config.file=" + file, "--config.check"}, Map.of()))
        .isEqualTo(2);
    assertThat(Main.run(new String[] {"--config.check"}, Map.of())).isEqualTo(2);
  }
}

package io.github.synapsebgu.exporter.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.cli.Daemon;
import io.github.synapsebgu.exporter.testing.Configs;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.SynapseBodies.Update;
import io.github.synapsebgu.exporter.testing.Wire;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * One homeserver with every source (admin API, Synapse's metrics endpoint, its SQLite database) and
 * the admin API: the queue in run order, items left, the estimated end and a timed pause, in a real
 * Chromium, each number the one /metrics shows.
 */
class StatusPageQueueBrowserTest {
  private static final String ADMIN_TOKEN = "admin-token-for-the-page-test-7f3e";

  @TempDir Path dir;
  private Browser browser;

  @BeforeEach
  void launch() throws Exception {
    browser = Browser.launch();
  }

  @AfterEach
  void tearDown() throws Exception {
    browser.close();
  }

  @Test
  void the_queue_time_left_and_a_timed_pause_match_metrics() throws Exception {
    Path db = dir.resolve("homeserver.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE background_updates (update_name text NOT NULL, progress_json text NOT"
              + " NULL, depends_on text, ordering INT NOT NULL DEFAULT 0)");
      s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, upgraded BOOL NOT NULL)");
      s.execute("INSERT INTO schema_version VALUES (92, 1)");
      s.execute(
          "INSERT INTO background_updates VALUES"
              + " ('populate_user_directory_process_users', '{\"remaining\": 3000}', NULL, 9101),"
              + " ('populate_user_directory_cleanup', '{}',"
              + " 'populate_user_directory_process_users', 9101),"
              + " ('event_search_sqlite_delete_non_strings', '{}', NULL, 9203)");
    }
    Path adminToken = Files.writeString(dir.resolve("admin-token"), ADMIN_TOKEN + "\n");
    try (FakeSynapse synapse = FakeSynapse.start();
        Daemon daemon =
            Daemon.start(
                Configs.of(
                    Map.of("SYNAPSE_ADMIN_TOKEN", FakeSynapse.TOKEN),
                    "--synapse.url=" + synapse.url(),
                    "--synapse.metrics-url=" + synapse.metricsUrl(),
                    "--database.url=master=sqlite:" + db,
                    "--web.listen-address=127.0.0.1:0",
                    "--admin.enabled",
                    "--admin.listen-address=127.0.0.1:0",
                    "--admin.token-file=" + adminToken,
                    "--poll.interval=1h"),
                Clock.systemUTC(),
                BuildInfo.load())) {
      synapse.running(
          Update.onMaster("populate_user_directory_process_users", 1200, 60_000.0, 0.4));
      daemon.poller().pollNow().get();
      String base = "http://127.0.0.1:" + daemon.address().getPort();
      Browser.await(
          () -> metrics(base).contains("synapse_background_update_estimated_remaining_seconds{"),
          "the database source's first poll");
      URI admin = URI.create("http://127.0.0.1:" + daemon.adminAddress().get().getPort());
      assertThat(
              Wire.send(
                      HttpRequest.newBuilder(admin.resolve("/api/v1/enabled"))
                          .header("Authorization", "Bearer " + ADMIN_TOKEN)
                          .header("Content-Type", "application/json")
                          .POST(
                              HttpRequest.BodyPublishers.ofString(
                                  "{\"enabled\": false, \"for\": \"30m\"}"))
                          .build())
                  .statusCode())
          .isEqualTo(200);
      daemon.poller().pollNow().get();

      browser.open(base + "/", 1100, 1150);
      String metrics = metrics(base);
      JsonNode queue =
          browser.eval(
              "Array.from(document.querySelectorAll('table.queue tbody tr')).map(r =>"
                  + " [r.cells[1].textContent, Number(r.cells[0].dataset.value),"
                  + " r.cells[2].textContent, Number(r.cells[3].dataset.value)])");
      assertThat(queue.size()).isEqualTo(3);
      for (JsonNode row : queue) {
        String labels = "{database=\"master\",update=\"" + row.get(0).asString() + "\"}";
        assertThat(value(metrics, "synapse_background_update_queue_position" + labels))
            .isEqualTo(row.get(1).asDouble());
        // The schema version column: ordering / 100, as the dashboard's floor(ordering / 100).
        assertThat(Math.floor(value(metrics, "synapse_background_update_ordering" + labels) / 100))
            .isEqualTo(row.get(3).asDouble());
      }
      assertThat(queue.get(1).get(2).asString()).isEqualTo("populate_user_directory_process_users");
      String running = "{database=\"master\",update=\"populate_user_directory_process_users\"}";
      assertThat(cell("Items left"))
          .isEqualTo(value(metrics, "synapse_background_update_items_remaining" + running));
      assertThat(cell("Estimated end"))
          .isEqualTo(
              value(metrics, "synapse_background_update_estimated_remaining_seconds" + running));
      assertThat(browser.evalString("document.querySelector('.pending').textContent"))
          .isEqualTo("3");
      assertThat(browser.evalString("document.querySelector('.updater').textContent"))
          .isEqualTo("running");
      assertThat(browser.eval("document.querySelectorAll('progress').length").asInt())
          .isEqualTo(2); // items done of done + left; the queue, 0 of 3 done since first seen
      double resumeAt = value(metrics, "synapse_background_updates_pause_expiry_timestamp_seconds");
      assertThat(browser.evalString("document.getElementById('enabled').textContent"))
          .startsWith("paused until " + Html.time(resumeAt));
      assertThat(browser.incidents()).isEmpty();
      assertThat(browser.requestedUrls()).allMatch(u -> u.startsWith(base + "/"));
      browser.screenshot(Path.of("docs/screenshots/status-page-queue.png"));
    }
  }

  /** The data-value of the running table's cell under the header {@code header}. */
  private double cell(String header) throws Exception {
    return browser
        .eval(
            "(() => { const t = document.querySelector('table.running');"
                + " const i = Array.from(t.tHead.rows[0].cells).findIndex(c => c.textContent === '"
                + header
                + "'); return Number(t.tBodies[0].rows[0].cells[i].dataset.value); })()")
        .asDouble();
  }

  private static String metrics(String base) {
    try {
      return Wire.get(URI.create(base + "/metrics")).body();
    } catch (Exception e) {
      return "";
    }
  }

  private static double value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    assertThat(m.find()).as(series).isTrue();
    return Double.parseDouble(m.group(1));
  }
}

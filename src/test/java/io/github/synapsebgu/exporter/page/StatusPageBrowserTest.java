package io.github.synapsebgu.exporter.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.cli.Daemon;
import io.github.synapsebgu.exporter.testing.Configs;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.SynapseBodies.Update;
import io.github.synapsebgu.exporter.testing.Wire;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The status page in a real headless Chromium: the DOM a person sees, its refresh, its sorting and
 * filtering, hostile names that must stay text, and no request to anywhere but the exporter. Each
 * view's screenshot goes to docs/screenshots/, which the README shows.
 */
class StatusPageBrowserTest {
  private static final Path SCREENSHOTS = Path.of("docs/screenshots");

  private Browser browser;
  private Fleet fleet;

  @BeforeEach
  void launch() throws Exception {
    browser = Browser.launch();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void the_demo_page_shows_each_database_with_the_numbers_of_metrics() throws Exception {
    try (Daemon daemon =
        Daemon.start(
            Configs.of(
                Map.of(), "--demo", "--web.listen-address=127.0.0.1:0", "--poll.interval=1h"),
            Clock.systemUTC(),
            BuildInfo.load())) {
      daemon.poller().pollNow().get(10, TimeUnit.SECONDS);
      String base = "http://127.0.0.1:" + daemon.address().getPort();
      browser.open(base + "/", 1100, 1000);
      String metrics = Wire.get(URI.create(base + "/metrics")).body();

      JsonNode databases =
          browser.eval(
              "Array.from(document.querySelectorAll('section.database')).map(s => ({db:"
                  + " s.dataset.database, update: s.querySelector('table.running th[scope=row]')"
                  + ".textContent, items: Number(s.querySelector('table.running td.num')"
                  + ".dataset.value)}))");
      assertThat(databases.size()).isEqualTo(2);
      for (JsonNode d : databases) {
        assertThat(metric(metrics, "synapse_background_update_items_processed", d))
            .as(d.toString())
            .isEqualTo(d.path("items").asDouble());
      }
      assertThat(browser.evalString("document.getElementById('enabled').textContent"))
          .isEqualTo("enabled");
      assertThat(browser.evalString("document.querySelector('.badge').textContent"))
          .isEqualTo("Running");
      assertThat(browser.evalString("document.querySelector('footer').textContent"))
          .contains("/metrics")
          .contains("/api/v1/overview");
      assertThat(browser.incidents()).isEmpty();
      assertThat(browser.requestedUrls()).isNotEmpty().allMatch(u -> u.startsWith(base + "/"));
      browser.screenshot(SCREENSHOTS.resolve("status-page.png"));
      browser.open(base + "/", 390, 844);
      browser.screenshot(SCREENSHOTS.resolve("status-page-phone.png"));
    }
  }

  private static double metric(String metrics, String name, JsonNode d) {
    Matcher m =
        Pattern.compile(
                Pattern.quote(
                        name
                            + "{database=\""
                            + d.path("db").asString()
                            + "\",update=\""
                            + d.path("update").asString()
                            + "\"} ")
                    + "(\\S+)")
            .matcher(metrics);
    assertThat(m.find()).as(name + " for " + d).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void the_fleet_page_sorts_filters_and_refreshes_in_place() throws Exception {
    fleet = new Fleet(Duration.ofSeconds(1));
    fleet.add("hs-safe").finish("master");
    fleet.synapse("hs-safe").updaterState("master", "3.0");
    fleet
        .add("hs-running")
        .running(Update.onMaster("populate_user_directory_process_users", 1200, 60_000.0, 0.4));
    fleet.add("hs-paused").enabled(false);
    fleet.synapse("hs-paused").updaterState("master", "3.0");
    fleet.add("hs-aborted").updaterState("master", "-1.0");
    fleet.add("hs-failing").knownTokens("someone-else");
    String base = fleet.start().toString();
    browser.open(base + "/", 1100, 700);
    Browser.await(() -> state("hs-failing").equals("failing"), "the failing row");

    assertThat(browser.eval("document.querySelectorAll('#fleet tbody tr').length").asInt())
        .isEqualTo(5);
    assertThat(rowNames()).isEqualTo("hs-failing,hs-aborted,hs-paused,hs-running,hs-safe");
    assertThat(state("hs-running")).isEqualTo("running");
    assertThat(state("hs-safe")).isEqualTo("safe");
    assertThat(state("hs-paused")).isEqualTo("paused");
    assertThat(state("hs-aborted")).isEqualTo("aborted");
    assertThat(
            browser.evalString(
                "document.querySelector('.count[data-state=failing] .n').textContent"))
        .isEqualTo("1");
    assertThat(
            browser.evalString(
                "document.querySelector('#fleet tr[data-state=failing] td.reason').textContent"))
        .contains("unauthorized");
    assertThat(browser.evalString("document.querySelector('#fleet tr a').getAttribute('href')"))
        .isEqualTo("/?homeserver=hs-failing");
    browser.screenshot(SCREENSHOTS.resolve("fleet-page.png"));

    browser.eval("document.querySelector('#fleet thead th button').click()");
    assertThat(rowNames()).isEqualTo("hs-aborted,hs-failing,hs-paused,hs-running,hs-safe");
    browser.eval(
        "(() => { const f = document.getElementById('filter'); f.value = 'pa';"
            + " f.dispatchEvent(new Event('input')); })()");
    assertThat(
            browser
                .eval("document.querySelectorAll('#fleet tbody tr:not([hidden])').length")
                .asInt())
        .isEqualTo(1);

    // A refresh swaps the table in place: the page (and this marker) stays, the row changes.
    browser.eval("window.__marker = 'kept'");
    fleet.synapse("hs-running").finish("master");
    fleet.synapse("hs-running").updaterState("master", "3.0");
    Browser.await(() -> state("hs-running").equals("safe"), "the refresh to show hs-running safe");
    assertThat(browser.evalString("window.__marker")).isEqualTo("kept");
    assertThat(rowNames()).startsWith("hs-aborted,hs-failing"); // the sort survived it
    assertThat(
            browser
                .eval("document.querySelectorAll('#fleet tbody tr:not([hidden])').length")
                .asInt())
        .isEqualTo(1); // and the filter
    assertThat(browser.incidents()).isEmpty();
    assertThat(browser.requestedUrls()).allMatch(u -> u.startsWith(base + "/"));

    browser.open(base + "/?homeserver=hs-failing", 1100, 700);
    assertThat(browser.evalString("document.getElementById('failures').textContent"))
        .contains("unauthorized")
        .contains("Log in again and rewrite the token file.");
  }

  @Test
  void without_javascript_the_table_reads_in_the_servers_order_and_reloads_itself()
      throws Exception {
    fleet = new Fleet(Duration.ofSeconds(20));
    fleet.add("b-running");
    fleet.add("a-paused").enabled(false);
    String base = fleet.start().toString();
    browser.call(
        "Emulation.setScriptExecutionDisabled",
        tools.jackson.databind.json.JsonMapper.builder()
            .build()
            .createObjectNode()
            .put("value", true));
    browser.open(base + "/", 1100, 600);
    assertThat(rowNames()).isEqualTo("a-paused,b-running");
    assertThat(browser.evalString("document.getElementById('controls').hidden + ''"))
        .isEqualTo("true"); // the filter needs the script: not offered without it
    assertThat(
            browser.evalString(
                "document.querySelector('meta[http-equiv=refresh]').getAttribute('content')"))
        .isEqualTo("20");
  }

  private String state(String name) {
    try {
      return browser.evalString(
          "(() => { const a = Array.from(document.querySelectorAll('#fleet tbody tr'))"
              + ".find(r => r.cells[0].textContent === '"
              + name
              + "'); return a ? a.dataset.state : ''; })()");
    } catch (Exception e) {
      return "";
    }
  }

  private String rowNames() throws Exception {
    return browser.evalString(
        "Array.from(document.querySelectorAll('#fleet tbody tr')).map(r =>"
            + " r.cells[0].textContent).join(',')");
  }

  /** A status body whose database and update names are the given ones, JSON-encoded. */
  private static String hostileStatus(Map<String, String> updateByDatabase) {
    var json = tools.jackson.databind.json.JsonMapper.builder().build();
    var root = json.createObjectNode().put("enabled", true);
    var current = root.putObject("current_updates");
    updateByDatabase.forEach(
        (db, update) ->
            current
                .putObject(db)
                .put("name", update)
                .put("total_item_count", 5)
                .put("total_duration_ms", 1000.0)
                .put("average_items_per_ms", 0.1));
    return json.writeValueAsString(root);
  }

  @Test
  void hostile_names_from_synapse_stay_text_and_run_nothing() throws Exception {
    fleet = new Fleet(Duration.ofHours(1));
    String script = "<script>alert('update')</script>";
    String img = "\"><img src=x onerror=alert('db')>";
    String js = "javascript:alert('link')";
    FakeSynapse evil = fleet.add("evil");
    evil.answer(
        FakeSynapse.Call.STATUS, SynapseAnswers.status(hostileStatus(Map.of(img, script, js, js))));
    fleet.add("fine");
    String base = fleet.start().toString();

    for (String path : new String[] {"/", "/?homeserver=evil"}) {
      browser.open(base + path, 1100, 800);
      String text = browser.evalString("document.body.textContent");
      assertThat(text).as(path).contains(script).contains(img);
      if (path.contains("evil")) {
        assertThat(text).contains(js); // the fleet row shows the first database's update only
      }
      assertThat(browser.eval("document.querySelectorAll('img').length").asInt()).isZero();
      assertThat(browser.eval("document.scripts.length").asInt()).isEqualTo(1);
      assertThat(browser.eval("document.querySelectorAll('[onerror]').length").asInt()).isZero();
      assertThat(
              browser.eval(
                  "Array.from(document.querySelectorAll('a')).filter(a =>"
                      + " a.protocol !== 'http:').length"))
          .asString()
          .isEqualTo("0");
      assertThat(browser.incidents()).as(path).isEmpty();
    }
    assertThat(browser.requestedUrls()).allMatch(u -> u.startsWith(base + "/"));
  }
}

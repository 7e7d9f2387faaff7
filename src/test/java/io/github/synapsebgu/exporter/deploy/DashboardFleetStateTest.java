package io.github.synapsebgu.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fleet row's state of each homeserver, evaluated by promtool on one homeserver per case: the
 * status page's order (failing, aborted, paused, running, safe), the optional sources counted only
 * where they exist, and the not-safe table's rows with their current update. The queries are the
 * dashboard's own, as scripts/deploy/dashboard-queries.sh prints them.
 */
class DashboardFleetStateTest {
  @TempDir Path dir;

  /** A homeserver's series: name -> (value, extra labels). */
  private record Case(String name, int state, String update, Map<String, Object> series) {}

  @Test
  void each_homeserver_is_counted_once_in_its_most_urgent_state() throws Exception {
    ExternalTool.requireJq();
    Map<String, String> byPanel = new HashMap<>();
    for (String line :
        ExternalTool.runOk(List.of("bash", "scripts/deploy/dashboard-queries.sh", "--tsv"))
            .lines()
            .toList()) {
      String[] f = line.split("\t");
      byPanel.put(f[0], f[3]);
    }
    List<Case> cases =
        List.of(
            new Case("admin-api-fails", 4, null, Map.of("up", 1, "sup", 0)),
            new Case("not-scraped", 4, null, Map.of("up", 0)),
            new Case("source-fails", 4, null, Map.of("sup", 1, "en", 1, "ip", 0, "src", 0)),
            new Case("aborted", 3, null, Map.of("sup", 1, "en", 1, "ip", 1, "st", "aborted")),
            new Case(
                "paused", 2, "u1", Map.of("sup", 1, "en", 0, "ip", 1, "st", "disabled", "pend", 1)),
            new Case("paused-idle", 2, null, Map.of("sup", 1, "en", 0, "ip", 0)),
            new Case("running", 1, "u2", Map.of("sup", 1, "en", 1, "ip", 1)),
            new Case("queued", 1, null, Map.of("sup", 1, "en", 1, "ip", 0, "pend", 2)),
            new Case(
                "not-started", 1, null, Map.of("sup", 1, "en", 1, "ip", 0, "st", "not_started")),
            new Case(
                "safe-with-sources",
                0,
                null,
                Map.of("sup", 1, "en", 1, "ip", 0, "pend", 0, "st", "complete", "src", 1)),
            new Case("safe", 0, null, Map.of("sup", 1, "en", 1, "ip", 0)));
    List<Map<String, Object>> series = new ArrayList<>();
    List<Map<String, Object>> states = new ArrayList<>();
    List<Map<String, Object>> notSafe = new ArrayList<>();
    int[] counts = new int[5];
    for (Case c : cases) {
      Map<String, Object> s = c.series();
      add(series, "up", c.name(), s.getOrDefault("up", 1), "");
      add(series, "synapse_background_updates_up", c.name(), s.get("sup"), "");
      add(series, "synapse_background_updates_enabled", c.name(), s.get("en"), "");
      add(series, "synapse_background_updates_in_progress", c.name(), s.get("ip"), "");
      add(
          series,
          "synapse_background_updates_source_up",
          c.name(),
          s.get("src"),
          ",source=\"database\",database=\"master\"");
      add(
          series,
          "synapse_background_updates_pending",
          c.name(),
          s.get("pend"),
          ",database=\"master\"");
      if (s.containsKey("st")) {
        for (String st : List.of("aborted", "disabled", "not_started", "running", "complete")) {
          add(
              series,
              "synapse_background_updates_updater_state",
              c.name(),
              st.equals(s.get("st")) ? 1 : 0,
              ",database=\"master\",state=\"" + st + "\"");
        }
      }
      String update =
          c.update() == null ? "" : ",database=\"master\",update=\"" + c.update() + "\"";
      if (c.update() != null) {
        add(series, "synapse_background_update_items_processed", c.name(), 10, update);
      }
      states.add(sample(c.name(), c.state(), ""));
      if (c.state() > 0) {
        notSafe.add(sample(c.name(), c.state(), update));
      }
      counts[c.state()]++;
    }
    List<Map<String, Object>> exprTests = new ArrayList<>();
    String all = byPanel.get("31");
    assertThat(all).startsWith("count(").endsWith(" or vector(0)");
    String state = all.substring("count(".length(), all.length() - ") or vector(0)".length());
    exprTests.add(exprTest(state, states));
    exprTests.add(exprTest(byPanel.get("31"), List.of(sample(null, cases.size(), ""))));
    Map<String, Integer> panelState = Map.of("32", 0, "33", 1, "34", 2, "35", 4, "36", 3);
    panelState.forEach(
        (panel, code) ->
            exprTests.add(exprTest(byPanel.get(panel), List.of(sample(null, counts[code], "")))));
    exprTests.add(exprTest(byPanel.get("37"), notSafe));

    Files.writeString(dir.resolve("none.yml"), "groups: []\n");
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("interval", "1m");
    test.put("input_series", series);
    test.put("promql_expr_test", exprTests);
    Map<String, Object> suite = new LinkedHashMap<>();
    suite.put("rule_files", List.of("none.yml"));
    suite.put("tests", List.of(test));
    Path file = dir.resolve("fleet-state.test.yml");
    Files.writeString(file, RepoFiles.JSON.writeValueAsString(suite)); // JSON is YAML
    String out =
        ExternalTool.runOk(List.of(ExternalTool.promtool(), "test", "rules", file.toString()));
    assertThat(out).contains("SUCCESS");
  }

  private static void add(
      List<Map<String, Object>> series, String metric, String hs, Object value, String labels) {
    if (value != null) {
      series.add(
          Map.of(
              "series",
              metric + "{job=\"j\",instance=\"" + hs + "\"" + labels + "}",
              "values",
              value + "x5"));
    }
  }

  private static Map<String, Object> sample(String hs, int value, String labels) {
    String l = hs == null ? "{}" : "{job=\"j\",instance=\"" + hs + "\"" + labels + "}";
    return Map.of("labels", l, "value", value);
  }

  private static Map<String, Object> exprTest(String expr, List<Map<String, Object>> samples) {
    return Map.of("expr", expr, "eval_time", "2m", "exp_samples", samples);
  }
}

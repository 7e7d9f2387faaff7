package io.github.synapsebgu.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DashboardLintTest {
  static final String DASHBOARD = "grafana/synapse-bgu-exporter.json";
  static final String DS_VAR = "${datasource}";

  /** The exporter's series (issue 2 and 4) and Prometheus' own up: anything else is a typo. */
  static final Set<String> KNOWN_METRICS =
      Set.of(
          "up",
          "synapse_background_updates_enabled",
          "synapse_background_updates_in_progress",
          "synapse_background_update_items_processed",
          "synapse_background_update_duration_seconds",
          "synapse_background_update_items_per_second",
          "synapse_background_update_last_progress_timestamp_seconds",
          "synapse_background_updates_up",
          "synapse_background_updates_last_poll_success_timestamp_seconds",
          "synapse_background_updates_poll_duration_seconds",
          "synapse_background_updates_polls_total",
          "synapse_background_updates_poll_errors_total",
          "synapse_bgu_exporter_build_info",
          "synapse_background_updates_pause_expiry_timestamp_seconds",
          "synapse_background_updates_admin_requests_total",
          // the optional sources (issue 13)
          "synapse_background_updates_updater_state",
          "synapse_background_updates_pending",
          "synapse_background_update_queue_position",
          "synapse_background_update_info",
          "synapse_background_update_ordering",
          "synapse_background_update_items_remaining",
          "synapse_background_update_estimated_remaining_seconds",
          "synapse_background_update_index_build_info",
          "synapse_background_update_index_build_blocks_done",
          "synapse_background_update_index_build_blocks_expected",
          "synapse_background_update_index_build_tuples_done",
          "synapse_background_update_index_build_tuples_expected",
          "synapse_background_updates_source_up",
          "synapse_background_updates_source_errors_total");

  // A metric name followed by an optional {selector}; function names are followed by "(".
  static final Pattern METRIC =
      Pattern.compile("\\b(up|synapse_[a-z_]+)\\b(?!\\s*\\()(\\{[^}]*\\})?");
  static final Pattern RANGE = Pattern.compile("\\[([^\\]]*)\\]");

  static JsonNode dashboard() {
    return RepoFiles.json(DASHBOARD);
  }

  /** Every panel, rows' nested panels included, except the rows themselves. */
  static List<JsonNode> panels() {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode p : dashboard().path("panels").values()) {
      if (!"row".equals(p.path("type").asString())) {
        panels.add(p);
      }
      for (JsonNode nested : p.path("panels").values()) {
        panels.add(nested);
      }
    }
    return panels;
  }

  static List<String> queries() {
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : panels()) {
      for (JsonNode target : panel.path("targets").values()) {
        exprs.add(target.path("expr").asString());
      }
    }
    return exprs;
  }

  static JsonNode variable(String name) {
    for (JsonNode v : dashboard().path("templating").path("list").values()) {
      if (name.equals(v.path("name").asString())) {
        return v;
      }
    }
    throw new AssertionError("no dashboard variable named " + name);
  }

  @Test
  void isImportableAsIsWithoutHardCodedIds() {
    JsonNode d = dashboard();
    assertThat(d.path("id").isNull()).as("id is null so import creates a new dashboard").isTrue();
    assertThat(d.path("uid").asString()).matches("[a-z0-9-]{1,40}");
    assertThat(d.path("title").asString()).isNotBlank();
    assertThat(d.has("__inputs"))
        .as("no import-time inputs: the datasource is a variable")
        .isFalse();
    assertThat(d.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    // Any datasource uid other than the variable would tie the dashboard to one Grafana.
    assertThat(RepoFiles.read(DASHBOARD))
        .doesNotContainPattern(
            "\"uid\":\\s*\"(?!\\$\\{datasource\\}|-- Grafana --|synapse-bgu-exporter\")");
  }

  @Test
  void datasourceVariableIsNamedDatasourceAndSelectsPrometheus() {
    JsonNode ds = variable("datasource");
    assertThat(ds.path("type").asString()).isEqualTo("datasource");
    assertThat(ds.path("query").asString()).isEqualTo("prometheus");
  }

  @Test
  void jobAndInstanceVariablesComeFromTheDatasourceAsMultiSelectWithRegexAll() {
    for (String name : List.of("job", "instance")) {
      JsonNode v = variable(name);
      assertThat(v.path("type").asString()).as(name).isEqualTo("query");
      assertThat(v.path("datasource").path("uid").asString()).as(name).isEqualTo(DS_VAR);
      assertThat(v.path("multi").asBoolean()).as("%s multi", name).isTrue();
      assertThat(v.path("includeAll").asBoolean()).as("%s includeAll", name).isTrue();
      assertThat(v.path("allValue").asString()).as("%s allValue", name).isEqualTo(".+");
      assertThat(v.path("definition").asString()).as(name).contains("label_values(", name);
    }
    assertThat(variable("instance").path("definition").asString()).contains("job=~\"$job\"");
  }

  @Test
  void everyPanelHasATitleDescriptionAndUnit() {
    assertThat(panels()).isNotEmpty();
    for (JsonNode p : panels()) {
      String title = p.path("title").asString();
      assertThat(title).as("panel %s title", p.path("id")).isNotBlank();
      assertThat(p.path("description").asString()).as("description of %s", title).isNotBlank();
      assertThat(p.path("fieldConfig").path("defaults").path("unit").asString())
          .as("unit of %s", title)
          .isNotBlank();
      assertThat(p.path("targets").isEmpty()).as("%s has queries", title).isFalse();
    }
  }

  @Test
  void everyPanelAndQueryUsesTheDatasourceVariable() {
    for (JsonNode p : panels()) {
      String title = p.path("title").asString();
      assertThat(p.path("datasource").path("uid").asString()).as(title).isEqualTo(DS_VAR);
      for (JsonNode t : p.path("targets").values()) {
        assertThat(t.path("datasource").path("uid").asString()).as(title).isEqualTo(DS_VAR);
      }
    }
  }

  @Test
  void everySeriesSelectorIsFilteredByJobAndInstance() {
    for (String expr : queries()) {
      Matcher m = METRIC.matcher(expr);
      int selectors = 0;
      while (m.find()) {
        selectors++;
        assertThat(KNOWN_METRICS).as("metric in %s", expr).contains(m.group(1));
        assertThat(m.group(2))
            .as("selector of %s in %s", m.group(1), expr)
            .isNotNull()
            .contains("job=~\"$job\"", "instance=~\"$instance\"");
      }
      assertThat(selectors).as("series in %s", expr).isPositive();
    }
  }

  @Test
  void ratesUseRateInterval() {
    int ranges = 0;
    for (String expr : queries()) {
      Matcher m = RANGE.matcher(expr);
      while (m.find()) {
        ranges++;
        assertThat(m.group(1)).as("range in %s", expr).isEqualTo("$__rate_interval");
      }
      if (expr.matches("(?s).*\\b(rate|irate|increase)\\(.*")) {
        assertThat(expr).contains("[$__rate_interval]");
      }
    }
    assertThat(ranges).as("the counters are shown as rates").isPositive();
  }

  /**
   * A stat panel over a range query reduced with lastNotNull keeps showing the last value of a
   * series that has ended (a timed pause that is over, an exporter whose data went stale): "now"
   * panels must ask Prometheus for now only.
   */
  @Test
  void statPanelsShowOnlyTheCurrentValue() {
    int stats = 0;
    for (JsonNode panel : panels()) {
      if (!"stat".equals(panel.path("type").asString())) {
        continue;
      }
      stats++;
      for (JsonNode target : panel.path("targets").values()) {
        assertThat(target.path("instant").asBoolean(false))
            .as("%s: instant query", panel.path("title").asString())
            .isTrue();
        assertThat(target.path("range").asBoolean(false))
            .as("%s: no range query", panel.path("title").asString())
            .isFalse();
      }
    }
    assertThat(stats).isPositive();
  }

  /**
   * The exporter serves 0 before its first successful poll, so "time() - last success" reads about
   * 56 years for it: the panel must say so in words (and keep the instance visible, in red).
   */
  @Test
  void lastPollPanelNamesAnExporterThatNeverPolled() {
    List<JsonNode> subtracting =
        panels().stream()
            .filter(
                p ->
                    p.path("targets").values().stream()
                        .anyMatch(
                            t ->
                                t.path("expr")
                                    .asString()
                                    .startsWith(
                                        "time() - synapse_background_updates_last_poll_success")))
            .toList();
    assertThat(subtracting).isNotEmpty();
    double nowSeconds = System.currentTimeMillis() / 1000.0;
    for (JsonNode panel : subtracting) {
      List<JsonNode> ranges =
          panel.path("fieldConfig").path("defaults").path("mappings").values().stream()
              .filter(m -> "range".equals(m.path("type").asString()))
              .toList();
      assertThat(ranges)
          .as("%s: a range mapping for time() - 0", panel.path("title").asString())
          .anySatisfy(
              m -> {
                JsonNode o = m.path("options");
                assertThat(o.path("from").asDouble()).isLessThan(nowSeconds);
                // Above any real age of a poll: a week is far beyond every alert.
                assertThat(o.path("from").asDouble()).isGreaterThan(7 * 24 * 3600);
                assertThat(o.path("to").asDouble()).isGreaterThan(nowSeconds);
                assertThat(o.path("result").path("text").asString()).isNotBlank();
              });
    }
  }

  @Test
  void panelIdsAreUniqueAndPanelsDoNotOverlap() {
    Set<Integer> ids = new HashSet<>();
    List<int[]> boxes = new ArrayList<>();
    for (JsonNode p : dashboard().path("panels").values()) {
      assertThat(ids.add(p.path("id").asInt())).as("unique id %s", p.path("id")).isTrue();
      JsonNode g = p.path("gridPos");
      int[] box = {
        g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()
      };
      assertThat(box[0] + box[2])
          .as("%s fits the 24 columns", p.path("title"))
          .isLessThanOrEqualTo(24);
      for (int[] other : boxes) {
        boolean overlap =
            box[0] < other[0] + other[2]
                && other[0] < box[0] + box[2]
                && box[1] < other[1] + other[3]
                && other[1] < box[1] + box[3];
        assertThat(overlap).as("%s overlaps another panel", p.path("title")).isFalse();
      }
      boxes.add(box);
    }
  }

  @Test
  void hasThePanelsOperatorsNeed() {
    assertThat(panelQuerying("table", "synapse_background_update_items_processed"))
        .as("table of current updates")
        .isNotNull();
    JsonNode table = panelQuerying("table", "synapse_background_update_items_processed");
    assertThat(table.path("targets").values())
        .extracting(t -> t.path("expr").asString())
        .anyMatch(e -> e.contains("synapse_background_update_duration_seconds"))
        .anyMatch(e -> e.contains("synapse_background_update_items_per_second"))
        .anyMatch(e -> e.contains("time() - synapse_background_update_last_progress_timestamp"));
    for (String metric :
        List.of(
            "synapse_background_update_items_processed",
            "synapse_background_update_items_per_second",
            "synapse_background_update_last_progress_timestamp_seconds",
            "synapse_background_updates_poll_errors_total",
            "synapse_background_updates_poll_duration_seconds")) {
      assertThat(panelQuerying("timeseries", metric)).as("graph of %s", metric).isNotNull();
    }
    for (String metric :
        List.of(
            "up{",
            "synapse_background_updates_up",
            "synapse_background_updates_enabled",
            "synapse_background_updates_in_progress",
            "synapse_background_updates_pause_expiry_timestamp_seconds")) {
      assertThat(panelQuerying("stat", metric)).as("stat of %s", metric).isNotNull();
    }
    assertThat(queries())
        .anyMatch(q -> q.matches("(?s).*by \\([^)]*reason[^)]*\\).*poll_errors.*"));
  }

  /** Issue 13: what the optional sources add, each where an operator looks for it. */
  @Test
  void hasThePanelsOfTheOptionalSources() {
    JsonNode queue = panelQuerying("table", "synapse_background_update_queue_position");
    assertThat(queue).as("the queue as a table").isNotNull();
    assertThat(queue.path("targets").values())
        .extracting(t -> t.path("expr").asString())
        .anyMatch(e -> e.contains("synapse_background_update_info")) // waits for
        .anyMatch(e -> e.contains("synapse_background_update_ordering") && e.contains("/ 100"))
        .anyMatch(e -> e.contains("synapse_background_update_items_remaining"));
    assertThat(RepoFiles.JSON.writeValueAsString(queue))
        .contains("\"Position\"", "\"Update\"", "\"Waits for\"", "\"Schema version\"");
    JsonNode state = panelQuerying("table", "synapse_background_updates_updater_state");
    assertThat(state).as("the updater state per database").isNotNull();
    assertThat(RepoFiles.JSON.writeValueAsString(state)).contains("aborted", "ABORTED");
    for (String metric :
        List.of(
            "synapse_background_updates_pending",
            "synapse_background_update_items_remaining",
            "synapse_background_update_estimated_remaining_seconds",
            "synapse_background_update_index_build_blocks_done",
            "synapse_background_update_index_build_tuples_done",
            "synapse_background_updates_source_errors_total")) {
      assertThat(panelQuerying("timeseries", metric)).as("graph of %s", metric).isNotNull();
    }
    assertThat(
            panelQuerying("timeseries", "synapse_background_update_estimated_remaining_seconds")
                .path("fieldConfig")
                .path("defaults")
                .path("unit")
                .asString())
        .isEqualTo("s");
    assertThat(
            panelQuerying("timeseries", "synapse_background_update_index_build_blocks_done")
                .path("fieldConfig")
                .path("defaults")
                .path("unit")
                .asString())
        .isEqualTo("percentunit");
    assertThat(panelQuerying("table", "synapse_background_update_index_build_info")).isNotNull();
    assertThat(panelQuerying("state-timeline", "synapse_background_updates_source_up")).isNotNull();
    // The errors graph names the failing database of the database source.
    assertThat(queries())
        .anyMatch(q -> q.matches("(?s).*by \\([^)]*database[^)]*reason[^)]*\\).*source_errors.*"));
  }

  /** The Fleet row's panels (issue 15), which aggregate over the homeservers. */
  static final Set<Integer> FLEET_PANELS = Set.of(31, 32, 33, 34, 35, 36, 37);

  /**
   * Issue 15: the fleet at a glance, bounded for thousands of homeservers; each panel answers even
   * when no homeserver is in its state (0, not "No data").
   */
  @Test
  void hasAFleetRowOnTopThatStaysBoundedForThousandsOfHomeservers() {
    JsonNode first = dashboard().path("panels").get(0);
    assertThat(first.path("type").asString()).isEqualTo("row");
    assertThat(first.path("title").asString()).isEqualTo("Fleet");
    Set<String> titles = new HashSet<>();
    for (JsonNode p : panels()) {
      if (!FLEET_PANELS.contains(p.path("id").asInt())) {
        continue;
      }
      titles.add(p.path("title").asString());
      String expr = p.path("targets").get(0).path("expr").asString();
      assertThat(expr).as(p.path("title").asString()).contains("group by (job, instance)");
      if ("stat".equals(p.path("type").asString())) {
        assertThat(expr).startsWith("count(").endsWith(" or vector(0)");
      } else {
        assertThat(p.path("type").asString()).isEqualTo("table");
        assertThat(expr).as("at most 100 rows").startsWith("topk(100,");
      }
    }
    assertThat(titles)
        .contains(
            "Homeservers",
            "Safe to upgrade",
            "Running",
            "Paused",
            "Failing",
            "Aborted",
            "Homeservers not safe to upgrade");
  }

  /** The first per-homeserver panel of that type querying that metric (not the Fleet row's). */
  static JsonNode panelQuerying(String type, String metric) {
    for (JsonNode p : panels()) {
      if (!type.equals(p.path("type").asString()) || FLEET_PANELS.contains(p.path("id").asInt())) {
        continue;
      }
      for (JsonNode t : p.path("targets").values()) {
        if (t.path("expr").asString().contains(metric)) {
          return p;
        }
      }
    }
    return null;
  }
}

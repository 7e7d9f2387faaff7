package io.github.synapsebgu.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.cli.Daemon;
import io.github.synapsebgu.exporter.testing.Configs;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every query of the optional sources' panels returns data on a demo exporter, scraped by a real
 * Prometheus (Debian's, as installed by scripts/deploy/install-tools.sh): the queries exactly as
 * scripts/deploy/dashboard-queries.sh prints them, instant panels as instant queries and the others
 * as range queries, as Grafana runs them. The demo starts where a queue, a rate, items remaining
 * and an index build are all visible (DemoScriptTest checks that moment).
 */
class DashboardOnDemoTest {
  /** The panels of the optional sources' row (issue 13). */
  private static final Set<String> NEW_PANELS =
      Set.of("21", "22", "23", "24", "25", "26", "27", "28", "29");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;

  @Test
  void every_query_of_the_optional_sources_panels_returns_data_on_a_demo_exporter()
      throws Exception {
    String prometheus = ExternalTool.find("prometheus", "PROMETHEUS_BIN");
    ExternalTool.requireJq();
    List<String[]> queries = new ArrayList<>();
    for (String line :
        ExternalTool.runOk(List.of("bash", "scripts/deploy/dashboard-queries.sh", "--tsv"))
            .lines()
            .toList()) {
      String[] f = line.split("\t");
      if (NEW_PANELS.contains(f[0])) {
        queries.add(f);
      }
    }
    assertThat(queries).hasSizeGreaterThanOrEqualTo(NEW_PANELS.size());
    Map<String, Boolean> instant = instantTargets();

    try (Daemon daemon =
        Daemon.start(
            Configs.of(
                Map.of(), "--demo", "--web.listen-address=127.0.0.1:0", "--poll.interval=1s"),
            Clock.systemUTC(),
            BuildInfo.load())) {
      int port = freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
              + "scrape_configs:\n  - job_name: synapse-bgu-exporter\n    static_configs:\n"
              + "      - targets: ['127.0.0.1:"
              + daemon.address().getPort()
              + "']\n");
      Process p =
          new ProcessBuilder(
                  prometheus,
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--log.level=warn")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      try {
        URI prom = URI.create("http://127.0.0.1:" + port);
        // Enough scrapes for a rate over them, and every source polled. The demo shows everything
        // for
        // about 25 s from its start: evaluate as soon as that is true, over all the data so far.
        awaitQuery(prom, "count_over_time(synapse_background_updates_source_up[1m]) >= 3", 40);
        long end = System.currentTimeMillis() / 1000;
        List<String> empty = new ArrayList<>();
        for (String[] q : queries) {
          String key = q[0] + "/" + q[2];
          String path =
              instant.getOrDefault(key, false)
                  ? "/api/v1/query?query=" + enc(q[3]) + "&time=" + end
                  : "/api/v1/query_range?query="
                      + enc(q[3])
                      + "&start="
                      + (end - 60)
                      + "&end="
                      + end
                      + "&step=1";
          JsonNode result = get(prom, path).path("data").path("result");
          if (result.isEmpty()) {
            empty.add(key + " " + q[1] + ": " + q[3]);
          }
        }
        assertThat(empty).as("queries without data on the demo").isEmpty();
      } finally {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  /** The Fleet row (issue 15): counts per state and the table of homeservers not safe. */
  private static final Set<String> FLEET_PANELS = Set.of("31", "32", "33", "34", "35", "36", "37");

  /**
   * The Fleet row's queries on a fleet demo scraped as the README's "Fleet mode" says (/targets,
   * relabelled to /probe, instance = homeserver): one state per homeserver, so the state counts add
   * up to the number of homeservers, and every homeserver not safe is in the table.
   */
  @Test
  void the_fleet_rows_counts_add_up_to_the_homeservers_of_a_fleet_demo() throws Exception {
    String prometheus = ExternalTool.find("prometheus", "PROMETHEUS_BIN");
    ExternalTool.requireJq();
    Map<String, String> byPanel = new HashMap<>();
    for (String line :
        ExternalTool.runOk(List.of("bash", "scripts/deploy/dashboard-queries.sh", "--tsv"))
            .lines()
            .toList()) {
      String[] f = line.split("\t");
      if (FLEET_PANELS.contains(f[0])) {
        byPanel.put(f[0], f[3]);
      }
    }
    assertThat(byPanel.keySet()).isEqualTo(FLEET_PANELS);
    int homeservers = 3;
    try (Daemon daemon =
        Daemon.start(
            Configs.of(
                Map.of(),
                "--demo.homeservers=" + homeservers,
                "--web.listen-address=127.0.0.1:0",
                "--poll.interval=1s"),
            Clock.systemUTC(),
            BuildInfo.load())) {
      String exporter = "127.0.0.1:" + daemon.address().getPort();
      int port = freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
              + "scrape_configs:\n  - job_name: synapse-fleet\n    metrics_path: /probe\n"
              + "    http_sd_configs:\n      - url: http://"
              + exporter
              + "/targets\n        refresh_interval: 1s\n"
              + "    relabel_configs:\n"
              + "      - source_labels: [__address__]\n        target_label: __param_target\n"
              + "      - source_labels: [__param_target]\n        target_label: instance\n"
              + "      - target_label: __address__\n        replacement: '"
              + exporter
              + "'\n");
      Process p = startPrometheus(prometheus, config, port);
      try {
        URI prom = URI.create("http://127.0.0.1:" + port);
        awaitQuery(prom, "count(synapse_background_updates_in_progress) == " + homeservers, 40);
        // Not rounded down to the second: that could be before a homeserver's first scrape.
        double end = System.currentTimeMillis() / 1000.0;
        Map<String, Double> counts = new HashMap<>();
        for (String id : List.of("31", "32", "33", "34", "35", "36")) {
          JsonNode result = instant(prom, byPanel.get(id), end);
          assertThat(result.size()).as("panel %s: one count", id).isEqualTo(1);
          counts.put(id, result.get(0).path("value").get(1).asDouble());
        }
        assertThat(counts.get("31")).as("homeservers").isEqualTo(homeservers);
        assertThat(
                counts.get("32")
                    + counts.get("33")
                    + counts.get("34")
                    + counts.get("35")
                    + counts.get("36"))
            .as("one state per homeserver: %s", counts)
            .isEqualTo(homeservers);
        JsonNode table = instant(prom, byPanel.get("37"), end);
        Set<String> listed = new java.util.HashSet<>();
        for (JsonNode row : table.values()) {
          listed.add(row.path("metric").path("instance").asString());
          assertThat(row.path("value").get(1).asDouble()).as("state of %s", row).isPositive();
        }
        assertThat((double) listed.size())
            .as("the table lists every homeserver not safe (%s)", counts)
            .isEqualTo(homeservers - counts.get("32"));
      } finally {
        stop(p);
      }
    }
  }

  private JsonNode instant(URI prom, String query, double time) throws Exception {
    return get(prom, "/api/v1/query?query=" + enc(query) + "&time=" + time)
        .path("data")
        .path("result");
  }

  private Process startPrometheus(String prometheus, Path config, int port)
      throws java.io.IOException {
    return new ProcessBuilder(
            prometheus,
            "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + port,
            "--log.level=warn")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }

  /** Panel id/refId to whether Grafana runs that target as an instant query. */
  private static Map<String, Boolean> instantTargets() {
    Map<String, Boolean> instant = new HashMap<>();
    for (JsonNode panel : DashboardLintTest.panels()) {
      for (JsonNode t : panel.path("targets").values()) {
        instant.put(
            panel.path("id").asInt() + "/" + t.path("refId").asString(),
            t.path("instant").asBoolean(false));
      }
    }
    return instant;
  }

  private void awaitQuery(URI prom, String query, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(prom.resolve("/api/v1/query?query=" + enc(query)))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        // 503 while Prometheus opens its storage
        if (r.statusCode() == 200
            && !RepoFiles.JSON.readTree(r.body()).path("data").path("result").isEmpty()) {
          return;
        }
      } catch (java.io.IOException e) {
        // Prometheus is still starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Prometheus never answered " + query + " with data");
  }

  private JsonNode get(URI prom, String pathAndQuery) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(prom.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s: %s", pathAndQuery, r.body()).isEqualTo(200);
    return RepoFiles.JSON.readTree(r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

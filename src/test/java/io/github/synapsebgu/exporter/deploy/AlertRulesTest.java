package io.github.synapsebgu.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AlertRulesTest {
  static final String RULE_FILE = "alerts/synapse-bgu-exporter.rules.yml";
  static final String RUNBOOK_BASE =
      "https://github.com/synapsebgu/synapse-bgu-exporter/blob/main/README.md#";

  static List<JsonNode> alerts() {
    List<JsonNode> alerts = new ArrayList<>();
    for (JsonNode group : RepoFiles.yaml(RULE_FILE).path("groups").values()) {
      for (JsonNode rule : group.path("rules").values()) {
        alerts.add(rule);
      }
    }
    return alerts;
  }

  static List<Path> unitTestFiles() throws IOException {
    try (Stream<Path> files = Files.list(RepoFiles.path("alerts/tests"))) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  @Test
  void everyRuleIsAnAlertNamedWithTheCommonCamelCasePrefix() {
    Set<String> names = new HashSet<>();
    assertThat(alerts()).hasSizeGreaterThanOrEqualTo(5);
    for (JsonNode rule : alerts()) {
      String name = RepoFiles.text(rule.path("alert"));
      assertThat(name).as("rule %s", rule).matches("SynapseBackgroundUpdates[A-Z][A-Za-z]+");
      assertThat(names.add(name)).as("duplicate alert %s", name).isTrue();
      assertThat(RepoFiles.text(rule.path("expr"))).as(name).isNotBlank();
    }
  }

  @Test
  void everyAlertHasASeveritySummaryDescriptionAndRunbook() {
    for (JsonNode rule : alerts()) {
      String name = rule.path("alert").asString();
      assertThat(RepoFiles.text(rule.path("labels").path("severity")))
          .as("severity of %s", name)
          .isIn("critical", "warning", "info");
      for (String annotation : List.of("summary", "description", "runbook_url")) {
        assertThat(RepoFiles.text(rule.path("annotations").path(annotation)))
            .as("%s of %s", annotation, name)
            .isNotBlank();
      }
    }
  }

  @Test
  void alertsAboutOneUpdateNameItsDatabaseAndUpdate() {
    int perUpdate = 0;
    for (JsonNode rule : alerts()) {
      // Singular "update_" metrics carry the database and update labels.
      if (!rule.path("expr").asString().matches("(?s).*synapse_background_update_[a-z].*")) {
        continue;
      }
      perUpdate++;
      for (String annotation : List.of("summary", "description")) {
        assertThat(rule.path("annotations").path(annotation).asString())
            .as("%s of %s", annotation, rule.path("alert").asString())
            .contains("{{ $labels.database }}", "{{ $labels.update }}");
      }
    }
    assertThat(perUpdate).as("alerts on per-update metrics").isGreaterThanOrEqualTo(3);
  }

  @Test
  void runbookUrlsPointAtReadmeSectionsThatSayWhatToDo() {
    Map<String, String> sections = MarkdownSections.byAnchor(RepoFiles.read("README.md"));
    for (JsonNode rule : alerts()) {
      String name = rule.path("alert").asString();
      String url = rule.path("annotations").path("runbook_url").asString();
      assertThat(url).as("runbook_url of %s", name).isEqualTo(RUNBOOK_BASE + name.toLowerCase());
      assertThat(sections)
          .as("README.md needs a section headed %s (anchor #%s)", name, name.toLowerCase())
          .containsKey(name.toLowerCase());
      assertThat(sections.get(name.toLowerCase()).strip())
          .as("README section of %s", name)
          .hasSizeGreaterThan(100);
    }
    assertThat(sections.get("synapsebackgroundupdatespausedtoolong"))
        .as("the paused-too-long runbook shows how to resume through the admin API")
        .contains("/api/v1/enabled");
  }

  @Test
  void promtoolAcceptsTheRuleFile() {
    String out = ExternalTool.runOk(List.of(ExternalTool.promtool(), "check", "rules", RULE_FILE));
    assertThat(out).contains("SUCCESS: " + alerts().size() + " rules found");
  }

  @Test
  void promtoolUnitTestsPass() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ExternalTool.promtool(), "test", "rules"));
    for (Path file : unitTestFiles()) {
      cmd.add(RepoFiles.ROOT.relativize(file).toString());
    }
    assertThat(cmd).hasSizeGreaterThan(3);
    String out = ExternalTool.runOk(cmd);
    assertThat(out).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void unitTestsCoverEveryAlertFiringAndNotFiring() throws IOException {
    Set<String> firing = new HashSet<>();
    Set<String> silent = new HashSet<>();
    for (Path file : unitTestFiles()) {
      JsonNode suite = RepoFiles.YAML.readTree(Files.readString(file));
      assertThat(suite.path("rule_files").values())
          .as("%s tests the shipped rule file", file.getFileName())
          .extracting(JsonNode::asString)
          .containsExactly("../synapse-bgu-exporter.rules.yml");
      for (JsonNode test : suite.path("tests").values()) {
        for (JsonNode check : test.path("alert_rule_test").values()) {
          String alert = check.path("alertname").asString();
          (check.path("exp_alerts").isEmpty() ? silent : firing).add(alert);
        }
      }
    }
    for (JsonNode rule : alerts()) {
      String name = rule.path("alert").asString();
      assertThat(firing).as("a unit test where %s fires", name).contains(name);
      assertThat(silent).as("a unit test where %s does not fire", name).contains(name);
    }
  }
}

package io.github.synapsebgu.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The chart ships the repository's rule file and dashboard, not copies that could drift. */
class ChartSingleSourceTest {
  @Test
  void chartFilesAreByteForByteTheRepositoryFiles() {
    assertThat(RepoFiles.bytes(HelmChart.CHART + "/files/synapse-bgu-exporter.rules.yml"))
        .isEqualTo(RepoFiles.bytes(AlertRulesTest.RULE_FILE));
    assertThat(RepoFiles.bytes(HelmChart.CHART + "/files/synapse-bgu-exporter.json"))
        .isEqualTo(RepoFiles.bytes(DashboardLintTest.DASHBOARD));
  }

  @Test
  void prometheusRuleCarriesTheRuleFileGroupsUnchanged() {
    List<JsonNode> docs = HelmChart.render("--set", "prometheusRule.enabled=true");
    JsonNode rule = HelmChart.one(docs, "PrometheusRule", "");
    assertThat(rule.path("spec").path("groups"))
        .isEqualTo(RepoFiles.yaml(AlertRulesTest.RULE_FILE).path("groups"));
  }

  @Test
  void additionalRuleLabelsAreTheOnlyChangeAndNeverOverrideSeverity() {
    List<JsonNode> docs =
        HelmChart.render(
            "--set", "prometheusRule.enabled=true",
            "--set", "prometheusRule.additionalRuleLabels.team=matrix",
            "--set", "prometheusRule.additionalRuleLabels.severity=none");
    JsonNode rendered = HelmChart.one(docs, "PrometheusRule", "").path("spec").path("groups");
    JsonNode expected = RepoFiles.yaml(AlertRulesTest.RULE_FILE).path("groups").deepCopy();
    for (JsonNode group : expected.values()) {
      for (JsonNode r : group.path("rules").values()) {
        ((ObjectNode) r.path("labels")).put("team", "matrix");
      }
    }
    assertThat(rendered).isEqualTo(expected);
  }

  @Test
  void dashboardConfigMapCarriesTheDashboardForTheGrafanaSidecar() {
    List<JsonNode> docs = HelmChart.render("--set", "dashboard.enabled=true");
    JsonNode cm = HelmChart.one(docs, "ConfigMap", "-dashboard");
    assertThat(cm.path("metadata").path("labels").path("grafana_dashboard").asString())
        .isEqualTo("1");
    assertThat(cm.path("data").path("synapse-bgu-exporter.json").asString())
        .isEqualTo(RepoFiles.read(DashboardLintTest.DASHBOARD));
  }

  @Test
  void chartAppVersionIsThePomVersion() {
    assertThat(RepoFiles.yaml(HelmChart.CHART + "/Chart.yaml").path("appVersion").asString())
        .isEqualTo(RepoFiles.pomVersion());
  }
}

package io.github.synapsebgu.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/deploy/dashboard-queries.sh feeds the end-to-end suite: its output must be real PromQL.
 */
class DashboardQueriesTest {
  static List<String> scriptOutput() {
    ExternalTool.requireJq();
    String out = ExternalTool.runOk(List.of("bash", "scripts/deploy/dashboard-queries.sh"));
    return out.lines().toList();
  }

  @Test
  void printsEveryPanelQueryOncePerLineWithVariablesSubstituted() {
    List<String> lines = scriptOutput();
    assertThat(lines).hasSize(DashboardLintTest.queries().size());
    for (String line : lines) {
      assertThat(line).doesNotContain("$").isNotBlank();
    }
    assertThat(lines)
        .anyMatch(l -> l.contains("job=~\".+\",instance=~\".+\""))
        .anyMatch(l -> l.contains("[1m]"));
  }

  @Test
  void everySubstitutedQueryParsesAsPromql(@TempDir Path dir) throws IOException {
    // promtool has no offline query parser of its own, but it parses every expr of a rule file.
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    List<String> lines = scriptOutput();
    for (int i = 0; i < lines.size(); i++) {
      rules
          .append("      - record: dashboard:query_")
          .append(i)
          .append("\n        expr: ")
          .append(RepoFiles.JSON.writeValueAsString(lines.get(i)))
          .append('\n');
    }
    Path file = dir.resolve("dashboard.rules.yml");
    Files.writeString(file, rules, StandardCharsets.UTF_8);
    String out =
        ExternalTool.runOk(List.of(ExternalTool.promtool(), "check", "rules", file.toString()));
    assertThat(out).contains("SUCCESS: " + lines.size() + " rules found");
  }

  @Test
  void tsvModeNamesThePanelOfEachQuery() {
    ExternalTool.requireJq();
    String out =
        ExternalTool.runOk(List.of("bash", "scripts/deploy/dashboard-queries.sh", "--tsv"));
    assertThat(out.lines())
        .allMatch(l -> l.split("\t").length == 4)
        .anyMatch(l -> l.contains("\tCurrent background updates\tD\ttime() - "));
  }
}

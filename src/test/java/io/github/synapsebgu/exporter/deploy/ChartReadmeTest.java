package io.github.synapsebgu.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The chart README's values table documents exactly the keys of values.yaml. */
class ChartReadmeTest {
  static final Pattern ROW = Pattern.compile("(?m)^\\| `([A-Za-z0-9_.]+)` \\|");

  static Set<String> documentedKeys() {
    Set<String> keys = new LinkedHashSet<>();
    Matcher m = ROW.matcher(RepoFiles.read(HelmChart.CHART + "/README.md"));
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  /** Paths of values.yaml: leaves only, or every map on the way too. */
  static Set<String> valueKeys(boolean leavesOnly) {
    Set<String> keys = new LinkedHashSet<>();
    collect("", RepoFiles.yaml(HelmChart.CHART + "/values.yaml"), leavesOnly, keys);
    return keys;
  }

  private static void collect(String prefix, JsonNode node, boolean leavesOnly, Set<String> keys) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      boolean map = e.getValue().isObject() && !e.getValue().isEmpty();
      if (!map || !leavesOnly) {
        keys.add(key);
      }
      if (map) {
        collect(key, e.getValue(), leavesOnly, keys);
      }
    }
  }

  @Test
  void everyValueIsDocumentedInTheValuesTable() {
    Set<String> documented = documentedKeys();
    assertThat(documented).hasSizeGreaterThan(20);
    for (String key : valueKeys(true)) {
      // A documented parent (resources, podSecurityContext, ...) covers its children.
      boolean covered = false;
      for (String k = key;
          k != null;
          k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : null) {
        covered |= documented.contains(k);
      }
      assertThat(covered).as("values.yaml key %s in the chart README", key).isTrue();
    }
  }

  @Test
  void theValuesTableDocumentsNoKeyThatDoesNotExist() {
    assertThat(valueKeys(false)).containsAll(documentedKeys());
  }
}

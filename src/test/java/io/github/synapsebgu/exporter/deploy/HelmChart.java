package io.github.synapsebgu.exporter.deploy;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Renders the chart with the real helm binary and finds objects in the output. */
final class HelmChart {
  static final String CHART = "helm/synapse-bgu-exporter";
  static final String TOKEN = "syt_ci_placeholder_not_a_real_token";

  private HelmChart() {}

  /** helm template with the given extra arguments (-f FILE, --set K=V). */
  static List<JsonNode> render(String... args) {
    return RepoFiles.yamlDocuments(ExternalTool.runOk(templateCommand(args)));
  }

  /** helm template that may fail, for tests of what the chart rejects. */
  static ExternalTool.Result tryRender(String... args) {
    return ExternalTool.run(templateCommand(args));
  }

  private static List<String> templateCommand(String... args) {
    List<String> cmd = new ArrayList<>(List.of(ExternalTool.helm(), "template", "rel", CHART));
    cmd.addAll(List.of(args));
    return cmd;
  }

  static JsonNode one(List<JsonNode> docs, String kind, String nameSuffix) {
    List<JsonNode> found = all(docs, kind, nameSuffix);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + kind + " named *" + nameSuffix + ", found " + found.size());
    }
    return found.get(0);
  }

  static List<JsonNode> all(List<JsonNode> docs, String kind, String nameSuffix) {
    return docs.stream()
        .filter(d -> kind.equals(d.path("kind").asString()))
        .filter(d -> d.path("metadata").path("name").asString().endsWith(nameSuffix))
        .toList();
  }

  static JsonNode deployment(List<JsonNode> docs) {
    return one(docs, "Deployment", "");
  }

  /** The one object that runs the exporter: a Deployment, or a StatefulSet for a sharded fleet. */
  static JsonNode workload(List<JsonNode> docs) {
    List<JsonNode> found = new ArrayList<>(all(docs, "Deployment", ""));
    found.addAll(all(docs, "StatefulSet", ""));
    if (found.size() != 1) {
      throw new AssertionError("expected one Deployment or StatefulSet, found " + found.size());
    }
    return found.get(0);
  }

  static JsonNode podSpec(List<JsonNode> docs) {
    return workload(docs).path("spec").path("template").path("spec");
  }

  static JsonNode container(List<JsonNode> docs) {
    JsonNode containers = podSpec(docs).path("containers");
    if (containers.size() != 1) {
      throw new AssertionError("expected one container, found " + containers.size());
    }
    return containers.get(0);
  }

  static List<String> args(List<JsonNode> docs) {
    return container(docs).path("args").values().stream().map(JsonNode::asString).toList();
  }

  static JsonNode volume(List<JsonNode> docs, String name) {
    for (JsonNode v : podSpec(docs).path("volumes").values()) {
      if (name.equals(v.path("name").asString())) {
        return v;
      }
    }
    return null;
  }

  static JsonNode mountAt(List<JsonNode> docs, String path) {
    for (JsonNode m : container(docs).path("volumeMounts").values()) {
      if (path.equals(m.path("mountPath").asString())) {
        return m;
      }
    }
    return null;
  }
}

package io.github.synapsebgu.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Fleet mode of the chart: the fleet file, its tokens, shards and the ScrapeConfig. */
class HelmFleetChartTest {
  static final String FLEET_VALUES = "-f=" + HelmChart.CHART + "/ci/fleet-values.yaml";
  static final String SHARDED_VALUES = "-f=" + HelmChart.CHART + "/ci/fleet-sharded-values.yaml";
  static final String TOKENS = "/etc/synapse-bgu-exporter/tokens";

  static JsonNode fleetFile(List<JsonNode> docs) {
    String text =
        HelmChart.one(docs, "ConfigMap", "-fleet").path("data").path("fleet.yml").asString();
    return RepoFiles.yamlDocuments(text).get(0);
  }

  @Test
  void single_mode_is_the_default_and_has_no_fleet_objects() {
    List<JsonNode> docs = HelmChart.render(HelmChartTest.TOKEN_VALUES);
    assertThat(HelmChart.all(docs, "ConfigMap", "-fleet")).isEmpty();
    assertThat(HelmChart.all(docs, "StatefulSet", "")).isEmpty();
    assertThat(HelmChart.all(docs, "ScrapeConfig", "")).isEmpty();
    assertThat(HelmChart.podSpec(docs).has("initContainers")).isFalse();
    assertThat(HelmChart.args(docs))
        .contains("--synapse.url=http://matrix-synapse.matrix.svc:8008")
        .noneMatch(a -> a.startsWith("--config.") || a.startsWith("--fleet."));
  }

  @Test
  void each_homeserver_reads_its_token_from_its_own_key_of_the_token_secret() {
    List<JsonNode> docs = HelmChart.render(FLEET_VALUES);
    JsonNode homeservers = fleetFile(docs).path("homeservers");
    assertThat(homeservers.propertyNames())
        .containsExactlyInAnyOrder("example-org", "example.net", "own_file");
    assertThat(homeservers.path("example-org").path("token_file").asString())
        .isEqualTo(TOKENS + "/example-org");
    assertThat(homeservers.path("example.net").path("token_file").asString())
        .isEqualTo(TOKENS + "/example.net");
    assertThat(homeservers.path("own_file").path("token_file").asString())
        .as("a token_file of its own is kept")
        .isEqualTo("/extra/own-token");
    assertThat(homeservers.path("example-org").path("labels").path("customer").asString())
        .isEqualTo("acme");
    assertThat(fleetFile(docs).path("defaults").path("poll_interval").asString()).isEqualTo("30s");

    JsonNode secret = HelmChart.one(docs, "Secret", "-fleet-tokens");
    Map<String, String> tokens =
        Map.of(
            "example-org", "syt_ci_placeholder_example_org",
            "example.net", "syt_ci_placeholder_example_net");
    assertThat(secret.path("data").propertyNames())
        .containsExactlyInAnyOrderElementsOf(tokens.keySet());
    tokens.forEach(
        (name, token) ->
            assertThat(
                    new String(
                        Base64.getDecoder().decode(secret.path("data").path(name).asString())))
                .isEqualTo(token));
    String workload = HelmChart.workload(docs).toString();
    String configMap = HelmChart.one(docs, "ConfigMap", "-fleet").toString();
    for (String token : tokens.values()) {
      assertThat(workload).doesNotContain(token);
      assertThat(configMap).doesNotContain(token);
    }
    // Whole directories, never subPath: an edited ConfigMap or a rotated token reaches the pod.
    JsonNode tokenVolume = HelmChart.volume(docs, "fleet-tokens").path("secret");
    assertThat(tokenVolume.path("secretName").asString())
        .isEqualTo(secret.path("metadata").path("name").asString());
    assertThat(tokenVolume.has("items")).as("every key, also ones added later").isFalse();
    assertThat(HelmChart.mountAt(docs, TOKENS).has("subPath")).isFalse();
    assertThat(HelmChart.mountAt(docs, "/etc/synapse-bgu-exporter/fleet").has("subPath")).isFalse();
  }

  @Test
  void fleet_mode_runs_from_the_file_alone_after_checking_it() {
    List<JsonNode> docs = HelmChart.render(FLEET_VALUES);
    String configFlag = "--config.file=/etc/synapse-bgu-exporter/fleet/fleet.yml";
    assertThat(HelmChart.args(docs))
        .contains(configFlag, "--web.enable-lifecycle")
        .as("the single-homeserver flags with --config.file are a usage error")
        .noneMatch(a -> a.startsWith("--synapse.") || a.startsWith("--poll."));
    JsonNode init = HelmChart.podSpec(docs).path("initContainers");
    assertThat(init.size()).isEqualTo(1);
    assertThat(init.get(0).path("args").values())
        .extracting(JsonNode::asString)
        .containsExactly("--config.check", configFlag);
    assertThat(init.get(0).path("volumeMounts").values())
        .extracting(m -> m.path("mountPath").asString())
        .contains("/tmp", "/etc/synapse-bgu-exporter/fleet", TOKENS, "/extra");
    assertThat(init.get(0).path("securityContext").path("readOnlyRootFilesystem").asBoolean())
        .isTrue();
  }

  @Test
  void the_rendered_fleet_file_passes_the_exporters_own_config_check(@TempDir Path dir)
      throws IOException {
    List<JsonNode> docs = HelmChart.render(FLEET_VALUES);
    String file =
        HelmChart.one(docs, "ConfigMap", "-fleet").path("data").path("fleet.yml").asString();
    // The pod's paths, moved under dir: the check opens every token file.
    Path tokens = Files.createDirectories(dir.resolve("tokens"));
    for (String name : List.of("example-org", "example.net", "own-token")) {
      Files.writeString(tokens.resolve(name), "syt_placeholder\n");
    }
    String local = file.replace(TOKENS + "/", tokens + "/").replace("/extra/", tokens + "/");
    Path config = Files.writeString(dir.resolve("fleet.yml"), local);
    String[] args = {"--config.file", config.toString(), "--config.check"};
    assertThat(Main.run(args, Map.of())).as("--config.check of the chart's file").isZero();
    Files.writeString(config, local.replace("token_file", "tokn_file"));
    assertThat(Main.run(args, Map.of())).as("and it can fail").isEqualTo(2);
  }

  @Test
  void fleet_mode_runs_the_fleet_jvm_flags_of_the_repository_with_its_own_resources() {
    assertThat(RepoFiles.bytes(HelmChart.CHART + "/files/jvm-fleet.options"))
        .as("the chart's file is the repository's, not a copy")
        .isEqualTo(RepoFiles.bytes("deploy/jvm-fleet.options"));
    List<JsonNode> docs = HelmChart.render(FLEET_VALUES);
    assertThat(
            HelmChart.one(docs, "ConfigMap", "-jvm-options")
                .path("data")
                .path("jvm.options")
                .asString())
        .isEqualTo(RepoFiles.read("deploy/jvm-fleet.options"));
    assertThat(HelmChart.mountAt(docs, "/app/jvm.options").path("subPath").asString())
        .isEqualTo("jvm.options");
    JsonNode init = HelmChart.podSpec(docs).path("initContainers").get(0);
    assertThat(init.path("volumeMounts").values())
        .as("the check reads a 10,000-homeserver file with the same heap")
        .extracting(m -> m.path("mountPath").asString())
        .contains("/app/jvm.options");
    assertThat(HelmChart.container(docs).path("resources").path("limits").path("memory").asString())
        .isEqualTo("320Mi");

    List<JsonNode> own = HelmChart.render(FLEET_VALUES, "--set", "jvmOptions[0]=-Xmx400m");
    assertThat(
            HelmChart.one(own, "ConfigMap", "-jvm-options")
                .path("data")
                .path("jvm.options")
                .asString())
        .isEqualTo("-Xmx400m\n");
  }

  @Test
  void a_sharded_fleet_is_a_statefulset_whose_pods_take_their_shard_from_their_ordinal() {
    List<JsonNode> docs = HelmChart.render(SHARDED_VALUES);
    assertThat(HelmChart.all(docs, "Deployment", "")).isEmpty();
    JsonNode sts = HelmChart.one(docs, "StatefulSet", "");
    assertThat(sts.path("spec").path("replicas").asInt()).isEqualTo(3);
    JsonNode headless = HelmChart.one(docs, "Service", "-shards");
    assertThat(sts.path("spec").path("serviceName").asString())
        .isEqualTo(headless.path("metadata").path("name").asString());
    assertThat(headless.path("spec").path("clusterIP").asString()).isEqualTo("None");
    assertThat(HelmChart.args(docs))
        .contains(
            "--config.file=/etc/synapse-bgu-exporter/fleet/homeservers.yml",
            "--fleet.shard=$(FLEET_SHARD_INDEX)/3");
    JsonNode env = HelmChart.container(docs).path("env").get(0);
    assertThat(env.path("name").asString()).isEqualTo("FLEET_SHARD_INDEX");
    assertThat(env.path("valueFrom").path("fieldRef").path("fieldPath").asString())
        .isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
    assertThat(HelmChart.volume(docs, "fleet-config").path("configMap").path("name").asString())
        .isEqualTo("synapse-fleet");
    assertThat(HelmChart.volume(docs, "fleet-tokens").path("secret").path("secretName").asString())
        .isEqualTo("synapse-fleet-tokens");
    assertThat(HelmChart.all(docs, "Secret", "")).as("both are the user's").isEmpty();
    assertThat(HelmChart.podSpec(docs).has("initContainers")).isFalse();
  }

  @Test
  void the_scrape_config_reads_every_shards_targets_and_probes_each_name_on_its_shard() {
    JsonNode spec =
        HelmChart.one(HelmChart.render(SHARDED_VALUES), "ScrapeConfig", "").path("spec");
    assertThat(spec.path("httpSDConfigs").values())
        .extracting(c -> c.path("url").asString())
        .containsExactly(
            "https://bgu-0.bgu-shards.default.svc:9657/targets",
            "https://bgu-1.bgu-shards.default.svc:9657/targets",
            "https://bgu-2.bgu-shards.default.svc:9657/targets");
    assertThat(spec.path("metricsPath").asString()).isEqualTo("/probe");
    assertThat(spec.path("scheme").asString()).isEqualTo("HTTPS");
    assertThat(spec.path("relabelings").values())
        .extracting(
            r -> r.path("sourceLabels").toString() + "->" + r.path("targetLabel").asString())
        .containsExactly(
            "[\"__address__\"]->__param_target",
            "[\"__param_target\"]->instance",
            "[\"__meta_url\"]->__address__");

    JsonNode single =
        HelmChart.one(HelmChart.render(FLEET_VALUES), "ScrapeConfig", "").path("spec");
    assertThat(single.path("httpSDConfigs").values())
        .extracting(c -> c.path("url").asString())
        .containsExactly("http://rel-synapse-bgu-exporter.default.svc:9657/targets");
    assertThat(single.path("relabelings").get(3).path("targetLabel").asString())
        .as("the user's relabelings come after the chart's")
        .isEqualTo("cluster");
  }

  /** The README's Prometheus job for a fleet, the block the e2e suite runs. */
  static JsonNode readmeFleetJob() {
    String readme = RepoFiles.read("README.md");
    int marker = readme.indexOf("<!-- fleet-prometheus-config");
    assertThat(marker).as("the README's marked fleet config").isPositive();
    int start = readme.indexOf("```yaml\n", marker) + "```yaml\n".length();
    String yaml = readme.substring(start, readme.indexOf("```", start));
    return RepoFiles.yamlDocuments(yaml).get(0).path("scrape_configs").get(0);
  }

  @Test
  void the_scrape_config_relabels_as_the_readme_prometheus_config_does() {
    JsonNode job = readmeFleetJob();
    JsonNode spec = HelmChart.one(HelmChart.render(FLEET_VALUES), "ScrapeConfig", "").path("spec");
    assertThat(spec.path("metricsPath").asString()).isEqualTo(job.path("metrics_path").asString());
    JsonNode readme = job.path("relabel_configs");
    assertThat(readme.size()).isEqualTo(3);
    for (int i = 0; i < readme.size(); i++) {
      JsonNode ours = spec.path("relabelings").get(i);
      JsonNode theirs = readme.get(i);
      assertThat(ours.path("sourceLabels")).isEqualTo(theirs.path("source_labels"));
      assertThat(ours.path("targetLabel").asString())
          .isEqualTo(theirs.path("target_label").asString());
      assertThat(ours.path("regex").asString("(.*)"))
          .isEqualTo(theirs.path("regex").asString("(.*)"));
      assertThat(ours.path("replacement").asString("$1"))
          .isEqualTo(theirs.path("replacement").asString("$1"));
    }
    assertThat(job.path("http_sd_configs").get(0).path("url").asString()).endsWith("/targets");
  }

  @Test
  void fleet_settings_that_cannot_work_fail_at_install_time() {
    assertThat(HelmChart.tryRender("--set", "fleet.enabled=true").stderr())
        .contains("fleet.enabled needs fleet.config.homeservers");
    assertThat(
            HelmChart.tryRender(
                    "--set", "fleet.enabled=true",
                    "--set", "fleet.config.homeservers.a.url=http://a:8008")
                .stderr())
        .contains("fleet.config.homeservers.a has no token");
    assertThat(HelmChart.tryRender(FLEET_VALUES, "--set", "fleet.tokens.typo=x").stderr())
        .contains("fleet.tokens.typo: no homeserver typo in fleet.config.homeservers");
    assertThat(HelmChart.tryRender(FLEET_VALUES, "--set", "synapse.token=x").stderr())
        .contains("synapse.token and synapse.existingSecret are for one homeserver");
    ExternalTool.Result badName =
        HelmChart.tryRender(FLEET_VALUES, "--set", "fleet.config.homeservers.a\\/b.url=http://x");
    assertThat(badName.exitCode()).as("a name /probe?target= could not take").isNotZero();
    assertThat(HelmChart.tryRender("--set", "fleet.shards=2").stderr())
        .contains("fleet.scrapeConfig.enabled and fleet.shards need fleet.enabled");
  }
}

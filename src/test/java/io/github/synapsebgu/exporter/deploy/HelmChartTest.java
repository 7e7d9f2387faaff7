package io.github.synapsebgu.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class HelmChartTest {
  static final String TOKEN_VALUES = "-f=" + HelmChart.CHART + "/ci/token-values.yaml";
  static final String EXISTING_VALUES = "-f=" + HelmChart.CHART + "/ci/existing-secret-values.yaml";
  static final String ALL_VALUES = "-f=" + HelmChart.CHART + "/ci/all-features-values.yaml";

  /** The chart defaults (no file) and every ci/*-values.yaml, as chart-testing would use them. */
  static Stream<String> valuesFiles() throws IOException {
    List<String> files = new ArrayList<>(List.of(""));
    try (Stream<Path> ci = Files.list(RepoFiles.path(HelmChart.CHART + "/ci"))) {
      ci.map(p -> RepoFiles.ROOT.relativize(p).toString())
          .filter(p -> p.endsWith("-values.yaml"))
          .sorted()
          .forEach(files::add);
    }
    return files.stream();
  }

  @ParameterizedTest(name = "values: {0}")
  @MethodSource("valuesFiles")
  void lintStrictAndTemplatePassWithEveryValuesFile(String values) {
    List<String> extra = values.isEmpty() ? List.of() : List.of("-f", values);
    List<String> lint =
        new ArrayList<>(List.of(ExternalTool.helm(), "lint", "--strict", HelmChart.CHART));
    lint.addAll(extra);
    assertThat(ExternalTool.runOk(lint)).contains("1 chart(s) linted, 0 chart(s) failed");
    List<JsonNode> docs = HelmChart.render(extra.toArray(String[]::new));
    assertThat(docs).extracting(d -> d.path("kind").asString()).contains("Service");
    assertThat(HelmChart.workload(docs)).isNotNull();
  }

  @ParameterizedTest(name = "values: {0}")
  @MethodSource("valuesFiles")
  void deploymentIsOneHardenedReplicaThatIsRecreated(String values) {
    List<JsonNode> docs = values.isEmpty() ? HelmChart.render() : HelmChart.render("-f", values);
    JsonNode spec = HelmChart.workload(docs).path("spec");
    if (HelmChart.all(docs, "StatefulSet", "").isEmpty()) {
      assertThat(spec.path("replicas").asInt()).isEqualTo(1);
      assertThat(spec.path("strategy").path("type").asString()).isEqualTo("Recreate");
    } // else a sharded fleet: one pod per shard, each the one poller of its share
    // (HelmFleetChartTest)
    JsonNode pod = spec.path("template").path("spec");
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    JsonNode podSc = pod.path("securityContext");
    assertThat(podSc.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(podSc.path("runAsUser").asInt()).isPositive();
    assertThat(podSc.path("seccompProfile").path("type").asString()).isEqualTo("RuntimeDefault");
    JsonNode sc = HelmChart.container(docs).path("securityContext");
    assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(sc.path("capabilities").path("drop").values())
        .extracting(JsonNode::asString)
        .containsExactly("ALL");
    assertThat(HelmChart.mountAt(docs, "/tmp")).as("writable /tmp for the JVM").isNotNull();
    JsonNode c = HelmChart.container(docs);
    assertThat(c.path("livenessProbe").path("httpGet").path("path").asString())
        .isEqualTo("/-/healthy");
    assertThat(c.path("readinessProbe").path("httpGet").path("path").asString())
        .isEqualTo("/-/ready");
    assertThat(c.path("resources").path("limits").path("memory").asString()).isNotBlank();
    for (JsonNode sa : HelmChart.all(docs, "ServiceAccount", "")) {
      assertThat(sa.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    }
    // The image's entrypoint runs java with deploy/jvm.options; the chart must not bypass it.
    assertThat(c.has("command")).as("container command").isFalse();
  }

  @Test
  void chartCreatedTokenReachesThePodOnlyAsASecretFile() {
    List<JsonNode> docs = HelmChart.render(TOKEN_VALUES);
    JsonNode secret = HelmChart.one(docs, "Secret", "-synapse-token");
    String encoded = secret.path("data").path("token").asString();
    assertThat(new String(Base64.getDecoder().decode(encoded))).isEqualTo(HelmChart.TOKEN);
    String deployment = HelmChart.deployment(docs).toString();
    assertThat(deployment).doesNotContain(HelmChart.TOKEN).doesNotContain(encoded);
    assertThat(deployment).doesNotContain("SYNAPSE_ADMIN_TOKEN");
    JsonNode volume = HelmChart.volume(docs, "synapse-token");
    assertThat(volume.path("secret").path("secretName").asString())
        .isEqualTo(secret.path("metadata").path("name").asString());
    assertThat(volume.path("secret").path("items").get(0).path("key").asString())
        .isEqualTo("token");
    JsonNode mount = HelmChart.mountAt(docs, "/etc/synapse-bgu-exporter/synapse-token");
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    assertThat(mount.has("subPath")).as("subPath mounts never see a rotated token").isFalse();
    assertThat(HelmChart.args(docs))
        .contains("--synapse.token-file=/etc/synapse-bgu-exporter/synapse-token/token");
  }

  @Test
  void existingSecretIsMountedByItsKeyAndNoSecretIsCreated() {
    List<JsonNode> docs = HelmChart.render(EXISTING_VALUES);
    assertThat(HelmChart.all(docs, "Secret", "")).isEmpty();
    JsonNode secret = HelmChart.volume(docs, "synapse-token").path("secret");
    assertThat(secret.path("secretName").asString()).isEqualTo("synapse-admin");
    assertThat(secret.path("items").get(0).path("key").asString()).isEqualTo("access_token");
    assertThat(secret.path("items").get(0).path("path").asString()).isEqualTo("token");
    assertThat(HelmChart.args(docs))
        .contains(
            "--synapse.url=https://matrix.example.org/synapse-prefix",
            "--synapse.token-file=/etc/synapse-bgu-exporter/synapse-token/token",
            "--synapse.tls.ca-file=/etc/synapse-bgu-exporter/synapse-ca/ca-bundle.pem");
    assertThat(HelmChart.volume(docs, "synapse-ca").path("configMap").path("name").asString())
        .isEqualTo("synapse-ca-bundle");
  }

  @Test
  void adminApiIsOffByDefaultAndOutOfTheServiceUnlessAsked() {
    List<JsonNode> defaults = HelmChart.render(TOKEN_VALUES);
    assertThat(HelmChart.args(defaults)).noneMatch(a -> a.startsWith("--admin."));
    assertThat(HelmChart.container(defaults).path("ports").size()).isEqualTo(1);

    List<JsonNode> enabled =
        HelmChart.render(TOKEN_VALUES, "--set", "admin.enabled=true", "--set", "admin.token=t0k");
    assertThat(HelmChart.args(enabled))
        .contains("--admin.enabled", "--admin.listen-address=127.0.0.1:9658")
        .contains("--admin.token-file=/etc/synapse-bgu-exporter/admin-token/token");
    assertThat(HelmChart.one(enabled, "Service", "").path("spec").path("ports").values())
        .extracting(p -> p.path("name").asString())
        .containsExactly("http");
    assertThat(HelmChart.deployment(enabled).toString()).doesNotContain("t0k");

    List<JsonNode> exposed = HelmChart.render(ALL_VALUES);
    assertThat(HelmChart.one(exposed, "Service", "").path("spec").path("ports").values())
        .extracting(p -> p.path("name").asString() + ":" + p.path("port").asInt())
        .containsExactly("http:9657", "admin:9658");
  }

  @Test
  void impossibleSettingsFailAtInstallTime() {
    ExternalTool.Result noToken = HelmChart.tryRender("--set", "admin.enabled=true");
    assertThat(noToken.exitCode()).isNotZero();
    assertThat(noToken.stderr())
        .contains("admin.enabled needs admin.token or admin.existingSecret");
    ExternalTool.Result typo = HelmChart.tryRender("--set", "servicemonitor.enabled=true");
    assertThat(typo.exitCode()).as("values.schema.json rejects unknown keys").isNotZero();
    assertThat(typo.stderr()).contains("'servicemonitor' not allowed");
  }

  @Test
  void everythingOnWiresWebConfigJvmOptionsAndServiceMonitor() {
    List<JsonNode> docs = HelmChart.render(ALL_VALUES);
    assertThat(HelmChart.args(docs))
        .contains("--web.config.file=/etc/synapse-bgu-exporter/web-config/web-config.yml")
        .contains(
            "--admin.web.config.file=/etc/synapse-bgu-exporter/admin-web-config/web-config.yml");
    assertThat(HelmChart.volume(docs, "web-config").path("secret").path("secretName").asString())
        .isEqualTo("bgu-web-config");
    JsonNode c = HelmChart.container(docs);
    assertThat(c.path("readinessProbe").path("httpGet").path("scheme").asString())
        .isEqualTo("HTTPS");
    JsonNode jvm = HelmChart.one(docs, "ConfigMap", "-jvm-options");
    assertThat(jvm.path("data").path("jvm.options").asString())
        .isEqualTo("-XX:+UseSerialGC\n-XX:MaxRAMPercentage=60\n");
    assertThat(HelmChart.mountAt(docs, "/app/jvm.options").path("subPath").asString())
        .isEqualTo("jvm.options");
    JsonNode endpoint =
        HelmChart.one(docs, "ServiceMonitor", "").path("spec").path("endpoints").get(0);
    assertThat(endpoint.path("port").asString()).isEqualTo("http");
    assertThat(endpoint.path("path").asString()).isEqualTo("/metrics");
    assertThat(endpoint.path("scheme").asString()).isEqualTo("https");
  }

  @Test
  void byDefaultTheImageJvmOptionsFileIsUsedUntouched() {
    List<JsonNode> docs = HelmChart.render(TOKEN_VALUES);
    assertThat(HelmChart.mountAt(docs, "/app/jvm.options")).isNull();
    assertThat(HelmChart.all(docs, "ConfigMap", "-jvm-options")).isEmpty();
    assertThat(HelmChart.container(docs).path("env").values())
        .extracting(e -> e.path("name").asString())
        .doesNotContain("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS");
  }
}

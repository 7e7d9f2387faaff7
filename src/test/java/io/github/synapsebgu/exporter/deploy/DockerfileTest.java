package io.github.synapsebgu.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs in CI, so the image is checked by reading the Dockerfile: what it builds,
 * what it runs, as whom, and with which JVM flags.
 */
class DockerfileTest {
  static final List<String> ENTRYPOINT =
      List.of("java", "@/app/jvm.options", "-jar", "/app/synapse-bgu-exporter.jar");

  static List<Dockerfile.Stage> stages() {
    return Dockerfile.parse(RepoFiles.read("Dockerfile"));
  }

  static Dockerfile.Stage runtime() {
    List<Dockerfile.Stage> stages = stages();
    return stages.get(stages.size() - 1);
  }

  static Dockerfile.Stage build() {
    return stages().stream()
        .filter(s -> "build".equals(s.name()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stage named build"));
  }

  /** Shell commands in fenced code blocks of the README ("a && b" is two), prompts removed. */
  static List<String> readmeCommands() {
    List<String> commands = new ArrayList<>();
    boolean inFence = false;
    for (String line : RepoFiles.read("README.md").split("\n")) {
      if (line.strip().startsWith("```")) {
        inFence = !inFence;
      } else if (inFence) {
        for (String command : line.replaceFirst("^\\s*\\$ ", "").split("&&|;")) {
          commands.add(command.strip().replaceAll("\\s+", " "));
        }
      }
    }
    return commands;
  }

  static Dockerfile.Stage cds() {
    return stages().stream()
        .filter(s -> "cds".equals(s.name()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stage named cds"));
  }

  @Test
  void isAMultiStageBuildWithMavenThenAJreRuntime() {
    assertThat(stages()).hasSize(3);
    assertThat(build().image()).startsWith("maven:");
    assertThat(runtime().image()).contains("jre").doesNotContain("jdk");
  }

  /**
   * The JVM uses a class-data archive only if the same JVM made it for the same jar path, so the
   * image makes its own, on the runtime's base image, with the script mvn package runs.
   */
  @Test
  void runtimeGetsAClassDataArchiveMadeByItsOwnJreForTheEntrypointsJar() {
    assertThat(cds().image()).isEqualTo(runtime().image());
    assertThat(cds().args("COPY"))
        .contains(
            "deploy/jvm.options deploy/cds-archive.sh /app/",
            "--from=build /src/target/synapse-bgu-exporter.jar /app/synapse-bgu-exporter.jar");
    String archiveFlag =
        RepoFiles.read("deploy/jvm.options")
            .lines()
            .filter(l -> l.startsWith("-XX:SharedArchiveFile="))
            .findFirst()
            .orElseThrow();
    String relative = archiveFlag.substring(archiveFlag.indexOf('=') + 1);
    assertThat(runtime().args("WORKDIR")).containsExactly("/app");
    String archive = "/app/" + relative;
    assertThat(cds().args("RUN"))
        .containsExactly(
            "sh /app/cds-archive.sh /app/jvm.options " + ENTRYPOINT.get(3) + " " + archive);
    assertThat(runtime().args("COPY")).contains("--from=cds " + archive + " " + archive);
    assertThat(RepoFiles.read("pom.xml"))
        .as("mvn package runs the same script")
        .contains("<argument>deploy/cds-archive.sh</argument>");
  }

  @Test
  void buildStageRunsTheReadmeBuildCommand() {
    List<String> runs = build().args("RUN");
    assertThat(runs).hasSize(1);
    // BuildKit flags such as the Maven cache mount change where, not what, the command builds.
    String command = runs.get(0).replaceAll("--mount=\\S+\\s+", "").replaceAll("\\s+", " ").strip();
    assertThat(command).startsWith("mvn ").contains(" package");
    assertThat(readmeCommands()).as("README code blocks").contains(command);
  }

  @Test
  void baseImagesArePinnedToExactVersions() {
    Pattern pinned =
        Pattern.compile("[^:@\\s]+(:[^:@\\s]*\\d+\\.\\d+\\.\\d+[^:@\\s]*)(@sha256:[0-9a-f]{64})?");
    for (Dockerfile.Stage stage : stages()) {
      assertThat(stage.image())
          .as("FROM %s", stage.image())
          .matches(pinned)
          .doesNotContain(":latest");
    }
  }

  @Test
  void runtimeRunsAsANumericNonRootUser() {
    List<String> users = runtime().args("USER");
    assertThat(users).hasSize(1);
    assertThat(users.get(0)).matches("\\d+(:\\d+)?");
    assertThat(Integer.parseInt(users.get(0).split(":")[0])).isPositive();
    assertThat(users.get(0).split(":")[0])
        .as("the Helm chart runs as the image's uid")
        .isEqualTo(
            RepoFiles.yaml(HelmChart.CHART + "/values.yaml")
                .path("podSecurityContext")
                .path("runAsUser")
                .asString());
  }

  @Test
  void entrypointRunsTheJarWithTheShippedJvmOptionsFile() {
    List<String> entrypoints = runtime().args("ENTRYPOINT");
    assertThat(entrypoints).hasSize(1);
    assertThat(RepoFiles.JSON.readValue(entrypoints.get(0), String[].class))
        .containsExactlyElementsOf(ENTRYPOINT);
    assertThat(runtime().args("COPY")).contains("deploy/jvm.options /app/jvm.options");
    assertThat(runtime().args("CMD")).isEmpty();
    // The flags the benchmarks measure live in deploy/jvm.options only: none may be added here.
    for (Dockerfile.Stage stage : stages()) {
      for (Dockerfile.Instruction i : stage.instructions()) {
        assertThat(i.args())
            .as("%s %s", i.keyword(), i.args())
            .doesNotContainPattern("(^|\\s|\")-X");
        assertThat(i.args())
            .as("%s %s", i.keyword(), i.args())
            .doesNotContain("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "JAVA_OPTS");
      }
    }
  }

  @Test
  void runtimeGetsOnlyTheShadedJarFromTheBuild() {
    List<String> fromStages =
        runtime().args("COPY").stream().filter(c -> c.startsWith("--from=")).toList();
    assertThat(fromStages)
        .containsExactly(
            "--from=build /src/target/synapse-bgu-exporter.jar /app/synapse-bgu-exporter.jar",
            "--from=cds /app/target/synapse-bgu-exporter.jsa /app/target/synapse-bgu-exporter.jsa");
    assertThat(RepoFiles.read("pom.xml"))
        .as("the shaded jar the Dockerfile copies")
        .contains("<outputFile>${project.build.directory}/synapse-bgu-exporter.jar</outputFile>");
    assertThat(runtime().args("RUN")).as("no package manager or shell step at runtime").isEmpty();
  }

  @Test
  void exposesTheMetricsPortAndCarriesOciLabels() {
    assertThat(runtime().args("EXPOSE")).containsExactly("9657");
    assertThat(runtime().args("ARG")).contains("VERSION=" + RepoFiles.pomVersion());
    String labels = String.join(" ", runtime().args("LABEL"));
    for (String key : List.of("title", "description", "source", "version", "revision")) {
      assertThat(labels).contains("org.opencontainers.image." + key + "=");
    }
  }

  @Test
  void dockerignoreSendsWhatTheBuildNeedsAndNothingElse() {
    DockerIgnore ignore = new DockerIgnore(RepoFiles.read(".dockerignore"));
    for (String needed :
        List.of(
            "pom.xml",
            "deploy/jvm.options",
            "deploy/cds-archive.sh",
            "src/main/java/io/github/synapsebgu/exporter/cli/Main.java",
            "src/main/resources-filtered/synapse-bgu-exporter-build.properties")) {
      assertThat(ignore.excludes(needed)).as("%s is sent to the build", needed).isFalse();
    }
    for (String unwanted :
        List.of(
            "target/synapse-bgu-exporter.jar",
            ".git/HEAD",
            "helm/synapse-bgu-exporter/values.yaml",
            "secret.token")) {
      assertThat(ignore.excludes(unwanted))
          .as("%s stays out of the build context", unwanted)
          .isTrue();
    }
  }
}

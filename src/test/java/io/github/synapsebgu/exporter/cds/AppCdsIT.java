package io.github.synapsebgu.exporter.cds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive the build makes for {@code deploy/jvm.options}: the packaged jar's classes
 * come from it, and a JVM that cannot use it still starts.
 */
class AppCdsIT {
  private static final Path JAR = Path.of("target/synapse-bgu-exporter.jar");
  private static final Path ARCHIVE = Path.of("target/synapse-bgu-exporter.jsa");

  @TempDir Path dir;

  private Run version(String... extraJvmFlags) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "@deploy/jvm.options"));
    command.addAll(List.of(extraJvmFlags));
    command.addAll(List.of("-Xlog:class+load", "-jar", JAR.toString(), "--version"));
    Path output = dir.resolve("out-" + System.nanoTime() + ".log");
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(output));
  }

  private record Run(int exitCode, String output) {}

  @Test
  void theExportersClassesComeFromTheArchive() throws Exception {
    assumeTrue(Files.exists(ARCHIVE), "archive not built (-Dcds.skip)");
    Run run = version();
    assertThat(run.exitCode()).isZero();
    assertThat(run.output())
        .contains("synapse-bgu-exporter ")
        .contains("io.github.synapsebgu.exporter.build.BuildInfo source: shared objects file\n")
        // The archive holds what a plain start needs (issue 17): picocli, for --version, help and
        // the
        // operator commands only, comes from the jar.
        .containsPattern("picocli\\.CommandLine source: (jar|file):")
        .doesNotContain("picocli.CommandLine source: shared objects file")
        .doesNotContain("Unable to use shared archive");
  }

  @Test
  void startsWithoutTheArchiveWhenItIsMissing() throws Exception {
    Run run = version("-XX:SharedArchiveFile=" + dir.resolve("missing.jsa"));
    assertThat(run.exitCode()).isZero();
    assertThat(run.output())
        .contains("synapse-bgu-exporter ")
        .contains("io.github.synapsebgu.exporter.build.BuildInfo source: file:");
  }
}

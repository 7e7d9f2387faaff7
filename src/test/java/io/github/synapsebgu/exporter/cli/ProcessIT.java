package io.github.synapsebgu.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.Wire;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as operators run it: {@code java @deploy/jvm.options -jar
 * target/synapse-bgu-exporter.jar}.
 */
class ProcessIT {
  private static final Path JAR = Path.of("target/synapse-bgu-exporter.jar");
  private static final Pattern PORT = Pattern.compile("msg=Listening .*port=(\\d+)");

  @TempDir Path dir;

  private Process launch(Path output, String... args) throws Exception {
    assertThat(JAR).exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(List.of(java, "@deploy/jvm.options", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    // Output goes to a file: a pipe read after the process exits may already be closed by the JDK.
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  @Test
  void stopsCleanlyWithExitCodeZeroWithinFiveSecondsOfSigterm() throws Exception {
    Path output = dir.resolve("out.log");
    Process p = launch(output, "--demo", "--web.listen-address=127.0.0.1:0");
    int port = -1;
    String log = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (port < 0 && System.nanoTime() < deadline && p.isAlive()) {
      Thread.sleep(50);
      log = Files.readString(output);
      Matcher m = PORT.matcher(log);
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
      }
    }
    assertThat(port).as("listening line in:\n%s", log).isPositive();
    assertThat(Wire.get(URI.create("http://127.0.0.1:" + port + "/-/healthy")).statusCode())
        .isEqualTo(200);

    long start = System.nanoTime();
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(5, TimeUnit.SECONDS)).as("exited within 5 s").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(p.exitValue()).isZero();
    assertThat(Files.readString(output)).contains("Shutting down").doesNotContain("Exception");
  }

  @Test
  void refusesAnEmptyTokenFileWithOneLineAndExitCodeTwo() throws Exception {
    Path token = Files.createFile(dir.resolve("token"));
    Path output = dir.resolve("out.log");
    Process p = launch(output, "--synapse.url=http://127.0.0.1:1", "--synapse.token-file=" + token);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String text = Files.readString(output);
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(text.strip().lines()).hasSize(1);
    assertThat(text).startsWith("synapse-bgu-exporter: --synapse.token-file: ").contains("empty");
  }
}

package io.github.synapsebgu.exporter.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real tools (helm, promtool, jq) on the shipped files. CI installs them
 * (scripts/deploy/install-tools.sh) and sets CI=true, where a missing tool fails the test: a
 * skipped check would pass silently. On a developer machine without the tool the test is skipped
 * with a note, as the project's other tool-backed tests are.
 */
final class ExternalTool {
  record Result(int exitCode, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  private ExternalTool() {}

  /** The tool named by {@code envVar}, else the first {@code name} on PATH. */
  static String find(String name, String envVar) {
    String fromEnv = System.getenv(envVar);
    if (fromEnv != null && !fromEnv.isBlank()) {
      if (!Files.isExecutable(Path.of(fromEnv))) {
        throw new AssertionError(envVar + "=" + fromEnv + " is not an executable file");
      }
      return fromEnv;
    }
    String pathVar = System.getenv().getOrDefault("PATH", "");
    for (String dir : pathVar.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return candidate.toString();
      }
    }
    String missing =
        name + " is not on PATH and " + envVar + " is not set (scripts/deploy/install-tools.sh)";
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(missing);
    }
    return Assumptions.abort(missing + "; skipped outside CI");
  }

  static String helm() {
    return find("helm", "HELM_BIN");
  }

  static String promtool() {
    return find("promtool", "PROMTOOL_BIN");
  }

  /** scripts/deploy/dashboard-queries.sh runs jq from PATH. */
  static void requireJq() {
    find("jq", "JQ_BIN");
  }

  /** Runs a command in the repository root, bounded to 2 minutes. */
  static Result run(List<String> command) {
    List<String> cmd = new ArrayList<>(command);
    try {
      // Files rather than pipes: a chatty tool cannot block on a full pipe buffer.
      Path out = Files.createTempFile("deploy-tool", ".out");
      Path err = Files.createTempFile("deploy-tool", ".err");
      try {
        Process process =
            new ProcessBuilder(cmd)
                .directory(RepoFiles.ROOT.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new AssertionError("timed out after 2 minutes: " + cmd);
        }
        return new Result(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + cmd, e);
    }
  }

  /** Runs a command and returns its stdout, failing the test with all output when it fails. */
  static String runOk(List<String> command) {
    Result result = run(command);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          "exit code " + result.exitCode() + " from " + command + ":\n" + result.output());
    }
    return result.stdout();
  }
}

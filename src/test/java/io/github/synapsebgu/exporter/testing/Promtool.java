package io.github.synapsebgu.exporter.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code promtool} (package {@code prometheus}). CI installs it and sets CI=true,
 * where a missing promtool fails the test; on a developer machine without it the check is skipped
 * with a note.
 */
public final class Promtool {
  private Promtool() {}

  public static Path find() {
    String configured = System.getenv("PROMTOOL_BIN");
    if (configured != null && Files.isExecutable(Path.of(configured))) {
      return Path.of(configured);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError("promtool not found in CI: install Debian's 'prometheus' package");
    }
    assumeTrue(false, "promtool not installed (apt-get install prometheus); skipped outside CI");
    return null;
  }

  public record Result(int exitCode, String output) {}

  /** {@code promtool check metrics} with {@code exposition} on stdin. */
  public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(find().toString(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool did not finish");
    }
    return new Result(p.exitValue(), out);
  }
}

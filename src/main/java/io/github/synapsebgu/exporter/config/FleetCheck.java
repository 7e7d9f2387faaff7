package io.github.synapsebgu.exporter.config;

import static io.github.synapsebgu.exporter.config.FlagCatalog.CONFIG_CHECK;
import static io.github.synapsebgu.exporter.config.FlagCatalog.CONFIG_FILE;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --config.check}: every problem of the {@code --config.file} and of the token and password
 * files it names, for CI and a Kubernetes init container. All shards are checked: the file is one.
 */
public final class FleetCheck {
  private FleetCheck() {}

  /**
   * @param homeservers how many the file holds (0 when it has problems)
   * @param problems each as {@code FILE:LINE: key: problem}; empty means valid
   */
  public record Outcome(Path file, int homeservers, List<String> problems) {
    public Outcome {
      problems = List.copyOf(problems);
    }
  }

  /**
   * @throws ConfigException for a flag problem (no file given, a refused flag)
   */
  public static Outcome run(ServeOptions o, Env env) throws ConfigException {
    String raw = env.resolve(CONFIG_FILE, o.fleet.configFile);
    if (raw == null || raw.isBlank()) {
      throw new ConfigException(CONFIG_CHECK.name(), "needs " + CONFIG_FILE.name());
    }
    Path file = Path.of(raw.strip());
    FleetFileValidator.Result result = FleetFile.read(file, FleetValidator.defaults(o, env));
    List<FleetProblem> problems = new ArrayList<>(result.problems());
    if (problems.isEmpty()) {
      try {
        FleetFile.open(file, result.members());
      } catch (FleetFileException e) {
        problems.addAll(e.problems());
      }
    }
    List<String> lines = new ArrayList<>();
    for (FleetProblem p : problems) {
      lines.add(
          file
              + (p.line() > 0 ? ":" + p.line() : "")
              + ": "
              + (p.key().isEmpty() ? "" : p.key() + ": ")
              + p.problem());
    }
    return new Outcome(file, problems.isEmpty() ? result.members().size() : 0, lines);
  }
}

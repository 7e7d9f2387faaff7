package io.github.synapsebgu.exporter.config;

import java.nio.file.Path;
import java.util.List;

/** A {@code --config.file} that cannot be used, with every problem found in it. */
public final class FleetFileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<FleetProblem> problems;

  FleetFileException(Path file, List<FleetProblem> problems) {
    super(summary(file, problems));
    this.problems = List.copyOf(problems);
  }

  public List<FleetProblem> problems() {
    return problems;
  }

  private static String summary(Path file, List<FleetProblem> problems) {
    String first = file + ": " + problems.get(0);
    return problems.size() == 1
        ? first
        : first + " (and " + (problems.size() - 1) + " more; --config.check lists them all)";
  }
}

package io.github.synapsebgu.exporter.config;

/**
 * One problem of a {@code --config.file}: the line, the key path (e.g. {@code
 * homeservers.example-org.timeout}) and what is wrong. Never a secret: token files are named, not
 * quoted.
 *
 * @param line 1-based; 0 when the problem is the whole file
 */
public record FleetProblem(int line, String key, String problem) {
  @Override
  public String toString() {
    return (line > 0 ? "line " + line + ": " : "") + (key.isEmpty() ? "" : key + ": ") + problem;
  }
}

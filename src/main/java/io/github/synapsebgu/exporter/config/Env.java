package io.github.synapsebgu.exporter.config;

import java.util.Locale;
import java.util.Map;

/**
 * Flag values with the environment as fallback: {@code --poll.interval} falls back to {@code
 * POLL_INTERVAL}.
 */
public record Env(Map<String, String> variables) {

  public static String variableFor(String flag) {
    return flag.replaceFirst("^--", "").replaceAll("[.-]", "_").toUpperCase(Locale.ROOT);
  }

  /** The flag's value if given, else its environment variable's, else {@code null}. */
  public String resolve(String flag, String fromCommandLine) {
    if (fromCommandLine != null) {
      return fromCommandLine;
    }
    String value = variables.get(variableFor(flag));
    return value == null || value.isEmpty() ? null : value;
  }

  public String get(String variable) {
    String value = variables.get(variable);
    return value == null || value.isEmpty() ? null : value;
  }
}

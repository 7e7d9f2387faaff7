package io.github.synapsebgu.exporter.config;

import java.util.Map;
import java.util.Optional;

/**
 * Flag values with the environment as fallback: {@code --poll.interval} falls back to {@code
 * POLL_INTERVAL}, then to its default.
 */
public record Env(Map<String, String> variables) {

  /** The flag's value as given on the command line, else its environment variable's, else null. */
  public String resolve(Flag<?> flag, String fromCommandLine) {
    if (fromCommandLine != null) {
      return fromCommandLine;
    }
    return flag.environmentVariable().map(this::get).orElse(null);
  }

  /**
   * The flag's value, checked, from the command line, the environment or its default.
   *
   * @throws ConfigException naming the flag when the value is invalid
   * @throws IllegalArgumentException for a flag without a default (use {@link #optional})
   */
  public <T> T value(Flag<T> flag, String fromCommandLine) throws ConfigException {
    if (flag.defaultValue().isEmpty()) {
      throw new IllegalArgumentException(flag + " has no default");
    }
    return flag.parse(resolve(flag, fromCommandLine));
  }

  /** The flag's value, checked, or empty when it is given nowhere and has no default. */
  public <T> Optional<T> optional(Flag<T> flag, String fromCommandLine) throws ConfigException {
    return Optional.ofNullable(flag.parse(resolve(flag, fromCommandLine)));
  }

  /** A variable that is not named after a flag ({@code SYNAPSE_ADMIN_TOKEN}); empty means unset. */
  public String get(String variable) {
    String value = variables.get(variable);
    return value == null || value.isEmpty() ? null : value;
  }
}

package io.github.synapsebgu.exporter.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a homeserver of the {@code --config.file} gets for a key it does not set: the file's {@code
 * defaults:}, else the flag's value ({@code --synapse.timeout}, {@code --poll.interval}, ...), else
 * the flag's default.
 */
public record FleetDefaults(
    Duration timeout,
    Duration pollInterval,
    Duration staleAfter,
    Optional<Path> caFile,
    boolean insecureSkipVerify,
    Map<String, String> labels) {
  public FleetDefaults {
    labels = Map.copyOf(labels);
  }

  /** The flags' own defaults: what a file is validated against without any flag. */
  public static FleetDefaults ofFlagDefaults() {
    try {
      return new FleetDefaults(
          FlagCatalog.SYNAPSE_TIMEOUT.parse(null),
          FlagCatalog.POLL_INTERVAL.parse(null),
          FlagCatalog.POLL_STALE_AFTER.parse(null),
          Optional.empty(),
          false,
          Map.of());
    } catch (ConfigException e) {
      throw new IllegalStateException("a flag's own default is invalid", e);
    }
  }
}

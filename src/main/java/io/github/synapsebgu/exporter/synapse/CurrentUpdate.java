package io.github.synapsebgu.exporter.synapse;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One entry of {@code current_updates}: the update running on one database.
 *
 * @param averageItemsPerMs empty while Synapse reports {@code null} (before the first item was
 *     processed)
 */
public record CurrentUpdate(
    String name, long totalItemCount, double totalDurationMs, OptionalDouble averageItemsPerMs) {
  public CurrentUpdate {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(averageItemsPerMs, "averageItemsPerMs");
  }

  /**
   * The rate in items per second, as every output shows it. The conversion lives here once, and
   * {@link StatusParser} refuses a body where it is not finite, so no output can show infinity.
   */
  public OptionalDouble itemsPerSecond() {
    return averageItemsPerMs.isPresent()
        ? OptionalDouble.of(averageItemsPerMs.getAsDouble() * 1000.0)
        : averageItemsPerMs;
  }

  /** The running time in seconds (see {@link #itemsPerSecond()} for why here). */
  public double durationSeconds() {
    return totalDurationMs / 1000.0;
  }
}

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
}

package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.PromDuration;
import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;

/** How numbers and durations look in the commands' human output. */
final class Formats {
  private Formats() {}

  /** Whole seconds in Prometheus' style ({@code 1h2m3s}), the same style the flags take. */
  static String seconds(Duration d) {
    return PromDuration.format(Duration.ofSeconds(Math.max(0, d.getSeconds())));
  }

  /** Synapse's {@code total_duration_ms}: milliseconds below a second, else whole seconds. */
  static String runTime(double millis) {
    if (millis < 1000) {
      return Math.round(millis) + "ms";
    }
    return seconds(Duration.ofMillis((long) millis));
  }

  /** {@code 12,345}: digit groups make large counts readable at a glance. */
  static String items(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }

  /** Items per second from Synapse's items per millisecond; empty while Synapse reports null. */
  static OptionalDouble perSecond(CurrentUpdate update) {
    return update.itemsPerSecond();
  }

  /** {@code 636/s}, {@code 2.5/s}, {@code 0.04/s}, or {@code -} while Synapse reports null. */
  static String rate(CurrentUpdate update) {
    OptionalDouble perSecond = perSecond(update);
    if (perSecond.isEmpty()) {
      return "-";
    }
    double r = perSecond.getAsDouble();
    String number =
        r >= 100
            ? String.format(Locale.ROOT, "%,d", Math.round(r))
            : r >= 1
                ? String.format(Locale.ROOT, "%.1f", r)
                : String.format(Locale.ROOT, "%.2f", r);
    return number + "/s";
  }

  /** {@code populate_stats_process_rooms (1,234 items, 636/s)}. */
  static String progress(CurrentUpdate update) {
    String rate = rate(update);
    return update.name()
        + " ("
        + items(update.totalItemCount())
        + " items"
        + (rate.equals("-") ? "" : ", " + rate)
        + ")";
  }
}

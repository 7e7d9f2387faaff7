package io.github.synapsebgu.exporter.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in Prometheus' format ({@code 500ms}, {@code 15s}, {@code 1h30m}), so operators can
 * reuse what they already write in Prometheus configs.
 */
public final class PromDuration {
  // Units must appear from largest to smallest, each at most once, as in Prometheus'
  // model.ParseDuration.
  private static final Pattern FORMAT =
      Pattern.compile(
          "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] UNIT_MILLIS = {
    365L * 24 * 3600 * 1000,
    7L * 24 * 3600 * 1000,
    24L * 3600 * 1000,
    3600 * 1000,
    60 * 1000,
    1000,
    1
  };

  private PromDuration() {}

  /**
   * Parses a Prometheus duration.
   *
   * @throws IllegalArgumentException naming the accepted format when {@code text} is not one
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty() || text.equals("0")) {
      if ("0".equals(text)) {
        return Duration.ZERO;
      }
      throw new IllegalArgumentException("empty duration");
    }
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid duration \"" + text + "\" (use Prometheus' format, e.g. 500ms, 15s, 5m, 1h30m)");
    }
    long total = 0;
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      String group = m.group(i + 1);
      if (group != null) {
        try {
          total = Math.addExact(total, Math.multiplyExact(Long.parseLong(group), UNIT_MILLIS[i]));
        } catch (ArithmeticException | NumberFormatException e) {
          throw new IllegalArgumentException("duration \"" + text + "\" is too large", e);
        }
      }
    }
    return Duration.ofMillis(total);
  }

  /**
   * Formats a duration the way Prometheus prints one ({@code 1h30m}, {@code 500ms}, {@code 0s}).
   */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s";
    }
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      long n = millis / UNIT_MILLIS[i];
      if (n > 0) {
        out.append(n).append(units[i]);
        millis -= n * UNIT_MILLIS[i];
      }
    }
    return out.toString();
  }
}

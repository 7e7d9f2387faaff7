package io.github.synapsebgu.exporter.page;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * An HTML builder whose every way in escapes: {@link #text} for element content, {@link #attr} for
 * a quoted attribute value, {@link #queryValue} for a value placed in a URL's query. Upstream
 * strings (update and database names, phases, names of homeservers) only ever pass through these;
 * {@link #raw} takes the page's own markup, never a value.
 */
final class Html {
  private final StringBuilder out;

  Html(int capacity) {
    out = new StringBuilder(capacity);
  }

  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  Html text(String s) {
    escapeInto(out, s);
    return this;
  }

  /** {@code name="value"}, with a leading space. */
  Html attr(String name, String value) {
    out.append(' ').append(name).append("=\"");
    escapeInto(out, value);
    out.append('"');
    return this;
  }

  /** A link to one homeserver's own view: a path of ours, the name only in the query. */
  Html homeserverLink(String name) {
    out.append("<a href=\"/?homeserver=");
    escapeInto(out, queryValue(name));
    out.append("\">");
    escapeInto(out, name);
    return raw("</a>");
  }

  /** A table cell showing {@code shown}, with the exact value for sorting and tests. */
  Html numberCell(OptionalDouble value, String shown) {
    out.append("<td class=\"num\"");
    if (value.isPresent()) {
      attr("data-value", Double.toString(value.getAsDouble()));
    }
    out.append('>');
    return text(shown).raw("</td>");
  }

  static String queryValue(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static void escapeInto(StringBuilder out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
  }

  @Override
  public String toString() {
    return out.toString();
  }

  // Formatting: what a person reads; the exact value goes in data-value.

  static String count(double v) {
    return String.format(Locale.ROOT, "%,d", Math.round(v));
  }

  static String rate(OptionalDouble perSecond) {
    if (perSecond.isEmpty()) {
      return "–";
    }
    double v = perSecond.getAsDouble();
    return String.format(Locale.ROOT, v >= 100 ? "%,.0f/s" : "%.2f/s", v);
  }

  static String duration(double seconds) {
    if (seconds > 0 && seconds < 1) {
      return Math.round(seconds * 1000) + " ms";
    }
    long s = Math.round(Math.max(0, seconds));
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }
    return String.format(Locale.ROOT, "%d d %02d h", s / 86_400, s % 86_400 / 3600);
  }

  static String time(double epochSeconds) {
    return Instant.ofEpochMilli(Math.round(epochSeconds * 1000))
        .truncatedTo(ChronoUnit.SECONDS)
        .toString();
  }

  /** "12 s ago" or "in 5 min 00 s". */
  static String relative(double epochSeconds, long nowMillis) {
    double delta = epochSeconds - nowMillis / 1000.0;
    return delta >= 0 ? "in " + duration(delta) : duration(-delta) + " ago";
  }
}

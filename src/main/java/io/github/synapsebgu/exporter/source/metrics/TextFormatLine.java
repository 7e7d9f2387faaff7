package io.github.synapsebgu.exporter.source.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One line of the Prometheus text exposition format (version 0.0.4, what Synapse's
 * prometheus_client serves), parsed by hand: no Java library parses this format. Comments (HELP,
 * TYPE, anything after {@code #}) and blank lines carry no sample; a sample line is {@code name},
 * optional {@code {label="value",...}} in any order with {@code \\ \" \n} escapes, a value and an
 * optional millisecond timestamp, separated by blanks. Anything else is an error that says where
 * and what was expected, without echoing the line (it comes from the network).
 */
final class TextFormatLine {
  /** A sample line's content. Labels keep the order they came in. */
  record Sample(String name, Map<String, String> labels, double value, OptionalLong timestampMs) {}

  /** A line that is not valid text format; {@code column} is 1-based. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxError(int column, String problem) {
      super("column " + column + ": " + problem);
    }
  }

  private final String line;
  private int pos;

  private TextFormatLine(String line) {
    this.line = line;
  }

  /**
   * Parses one line, without its line end (a trailing CR of a CRLF line end is ignored).
   *
   * @return the sample, or null for a blank or comment line
   */
  static Sample parse(String line) throws SyntaxError {
    String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    return new TextFormatLine(text).sample();
  }

  private Sample sample() throws SyntaxError {
    skipBlanks();
    if (pos == line.length() || line.charAt(pos) == '#') {
      return null;
    }
    String name = metricName();
    skipBlanks();
    Map<String, String> labels = Map.of();
    if (pos < line.length() && line.charAt(pos) == '{') {
      pos++;
      labels = labels();
      skipBlanks();
    }
    double value = value(token("a sample value"));
    skipBlanks();
    OptionalLong timestamp = OptionalLong.empty();
    if (pos < line.length()) {
      timestamp = OptionalLong.of(timestamp(token("a timestamp or the end of the line")));
      skipBlanks();
      if (pos < line.length()) {
        throw error("the end of the line after the timestamp");
      }
    }
    return new Sample(name, labels, value, timestamp);
  }

  private String metricName() throws SyntaxError {
    int start = pos;
    while (pos < line.length() && isNameChar(line.charAt(pos), pos == start, true)) {
      pos++;
    }
    if (pos == start) {
      throw error("a metric name");
    }
    return line.substring(start, pos);
  }

  private Map<String, String> labels() throws SyntaxError {
    Map<String, String> labels = new LinkedHashMap<>();
    while (true) {
      skipBlanks();
      if (pos < line.length() && line.charAt(pos) == '}') {
        pos++; // an empty set, or a trailing comma: both allowed by the format
        return Collections.unmodifiableMap(labels);
      }
      int start = pos;
      while (pos < line.length() && isNameChar(line.charAt(pos), pos == start, false)) {
        pos++;
      }
      if (pos == start) {
        throw error("a label name or '}'");
      }
      String name = line.substring(start, pos);
      skipBlanks();
      expect('=');
      skipBlanks();
      expect('"');
      String value = labelValue();
      if (labels.put(name, value) != null) {
        throw new SyntaxError(start + 1, "label " + name + " given twice");
      }
      skipBlanks();
      if (pos < line.length() && line.charAt(pos) == ',') {
        pos++;
      } else if (pos < line.length() && line.charAt(pos) == '}') {
        pos++;
        return Collections.unmodifiableMap(labels);
      } else {
        throw error("',' or '}' after a label value");
      }
    }
  }

  /** The rest of a quoted label value, after its opening quote, with escapes resolved. */
  private String labelValue() throws SyntaxError {
    StringBuilder value = new StringBuilder();
    while (pos < line.length()) {
      char c = line.charAt(pos++);
      if (c == '"') {
        return value.toString();
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      if (pos == line.length()) {
        break;
      }
      char escaped = line.charAt(pos++);
      switch (escaped) {
        case '\\' -> value.append('\\');
        case '"' -> value.append('"');
        case 'n' -> value.append('\n');
        default -> throw new SyntaxError(pos - 1, "an escape \\\\, \\\" or \\n in a label value");
      }
    }
    throw error("the closing '\"' of a label value");
  }

  private String token(String what) throws SyntaxError {
    int start = pos;
    while (pos < line.length() && !isBlank(line.charAt(pos))) {
      pos++;
    }
    if (pos == start) {
      throw error(what);
    }
    return line.substring(start, pos);
  }

  /**
   * Go's float syntax as the format defines it, not Java's: {@link Double#parseDouble} alone would
   * also take "1d", "0x1p3" or "Infinity" with surrounding spaces.
   */
  private double value(String token) throws SyntaxError {
    String lower = token.toLowerCase(java.util.Locale.ROOT);
    switch (lower) {
      case "nan", "+nan", "-nan":
        return Double.NaN;
      case "inf", "+inf", "infinity", "+infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    if (!isDecimal(token)) {
      throw new SyntaxError(pos - token.length() + 1, "a number as the sample value");
    }
    return Double.parseDouble(token);
  }

  private long timestamp(String token) throws SyntaxError {
    int digits = token.startsWith("-") ? 1 : 0;
    boolean ok = token.length() > digits && token.length() <= 19;
    for (int i = digits; ok && i < token.length(); i++) {
      ok = token.charAt(i) >= '0' && token.charAt(i) <= '9';
    }
    if (!ok) {
      throw new SyntaxError(pos - token.length() + 1, "an integer timestamp in milliseconds");
    }
    return Long.parseLong(token);
  }

  /** {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?} */
  private static boolean isDecimal(String s) {
    int i = 0;
    int n = s.length();
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int intDigits = 0;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
      intDigits++;
    }
    int fracDigits = 0;
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        fracDigits++;
      }
    }
    if (intDigits + fracDigits == 0) {
      return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int expDigits = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        expDigits++;
      }
      if (expDigits == 0) {
        return false;
      }
    }
    return i == n;
  }

  private void expect(char c) throws SyntaxError {
    if (pos >= line.length() || line.charAt(pos) != c) {
      throw error("'" + c + "'");
    }
    pos++;
  }

  private void skipBlanks() {
    while (pos < line.length() && isBlank(line.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isNameChar(char c, boolean first, boolean colonAllowed) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || (colonAllowed && c == ':')
        || (!first && c >= '0' && c <= '9');
  }

  private SyntaxError error(String expected) {
    return new SyntaxError(pos + 1, "expected " + expected);
  }
}

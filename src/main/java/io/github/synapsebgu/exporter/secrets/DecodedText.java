package io.github.synapsebgu.exporter.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A text read the way a page may encode what it echoes, one unit at a time: percent-encoded UTF-8,
 * HTML character references (numeric and the few named ones a token can contain), JSON {@code \\u}
 * escapes, {@code \\xNN} escapes and backslash escapes each count as the character they stand for.
 * Kept lower-case (per UTF-16 unit, so positions stay aligned), with where in the original each
 * unit came from, so a secret found in the decoded view can be cut out of the original text.
 *
 * <p>One pass, no regular expression: the cost is linear in the text and independent of the
 * secret's length (a pattern per secret overflowed the stack for long tokens).
 */
final class DecodedText {
  private static final Map<String, Character> NAMED =
      Map.ofEntries(
          Map.entry("lowbar", '_'),
          Map.entry("underbar", '_'),
          Map.entry("hyphen", '-'),
          Map.entry("dash", '-'),
          Map.entry("period", '.'),
          Map.entry("sol", '/'),
          Map.entry("plus", '+'),
          Map.entry("equals", '='),
          Map.entry("colon", ':'),
          Map.entry("tilde", '~'),
          Map.entry("amp", '&'));

  private final StringBuilder units = new StringBuilder();
  // start[i], end[i]: the original text's span that decoded unit i came from
  private int[] start;
  private int[] end;

  DecodedText(String text) {
    start = new int[Math.max(16, text.length())];
    end = new int[start.length];
    int i = 0;
    while (i < text.length()) {
      i = decodeAt(text, i);
    }
  }

  /** Decoded units, lower-cased. */
  CharSequence units() {
    return units;
  }

  int start(int unit) {
    return start[unit];
  }

  int end(int unit) {
    return end[unit];
  }

  /** Decodes the unit at {@code i}; returns where the next one starts. */
  private int decodeAt(String text, int i) {
    char c = text.charAt(i);
    if (c == '%') {
      int next = percent(text, i);
      if (next > i) {
        return next;
      }
    } else if (c == '&') {
      int next = reference(text, i);
      if (next > i) {
        return next;
      }
    } else if (c == '\\' && i + 1 < text.length()) {
      if ((text.charAt(i + 1) == 'u' || text.charAt(i + 1) == 'U') && i + 6 <= text.length()) {
        int cp = hex(text, i + 2, i + 6);
        if (cp >= 0) {
          add((char) cp, i, i + 6);
          return i + 6;
        }
      }
      if ((text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X') && i + 4 <= text.length()) {
        int b = hex(text, i + 2, i + 4);
        if (b >= 0) {
          add((char) b, i, i + 4);
          return i + 4;
        }
      }
      add(text.charAt(i + 1), i, i + 2);
      return i + 2;
    }
    add(c, i, i + 1);
    return i + 1;
  }

  /** {@code %XX}, or the {@code %XX%XX...} of one UTF-8 encoded code point. */
  private int percent(String text, int i) {
    int lead = i + 3 <= text.length() ? hex(text, i + 1, i + 3) : -1;
    if (lead < 0) {
      return i;
    }
    int bytes = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    byte[] utf8 = new byte[bytes];
    utf8[0] = (byte) lead;
    for (int k = 1; k < bytes; k++) {
      int at = i + 3 * k;
      int b = at + 3 <= text.length() && text.charAt(at) == '%' ? hex(text, at + 1, at + 3) : -1;
      if (b < 0x80 || b > 0xbf) {
        add((char) lead, i, i + 3); // not a sequence: the byte alone
        return i + 3;
      }
      utf8[k] = (byte) b;
    }
    String decoded = new String(utf8, StandardCharsets.UTF_8);
    int endAt = i + 3 * bytes;
    for (int k = 0; k < decoded.length(); k++) {
      add(decoded.charAt(k), i, endAt);
    }
    return endAt;
  }

  /** {@code &#NN;}, {@code &#xHH;} (the semicolon optional) or {@code &name;}. */
  private int reference(String text, int i) {
    int j = i + 1;
    if (j < text.length() && text.charAt(j) == '#') {
      j++;
      boolean hexForm = j < text.length() && (text.charAt(j) == 'x' || text.charAt(j) == 'X');
      if (hexForm) {
        j++;
      }
      int digitsFrom = j;
      while (j < text.length() && j - digitsFrom < 8 && isDigit(text.charAt(j), hexForm)) {
        j++;
      }
      if (j == digitsFrom) {
        return i;
      }
      int cp = Integer.parseInt(text.substring(digitsFrom, j), hexForm ? 16 : 10);
      int endAt = j < text.length() && text.charAt(j) == ';' ? j + 1 : j;
      if (!Character.isValidCodePoint(cp)) {
        return i;
      }
      for (char unit : Character.toChars(cp)) {
        add(unit, i, endAt);
      }
      return endAt;
    }
    int semi = text.indexOf(';', j);
    if (semi < 0 || semi - j > 10) {
      return i;
    }
    Character named = NAMED.get(text.substring(j, semi).toLowerCase(java.util.Locale.ROOT));
    if (named == null) {
      return i;
    }
    add(named, i, semi + 1);
    return semi + 1;
  }

  private static boolean isDigit(char c, boolean hexForm) {
    return hexForm ? Character.digit(c, 16) >= 0 : c >= '0' && c <= '9';
  }

  /** The hex number in {@code text[from, to)}, or -1. */
  private static int hex(String text, int from, int to) {
    int value = 0;
    for (int k = from; k < to; k++) {
      int d = Character.digit(text.charAt(k), 16);
      if (d < 0) {
        return -1;
      }
      value = value * 16 + d;
    }
    return value;
  }

  private void add(char unit, int from, int to) {
    int n = units.length();
    if (n == start.length) {
      start = java.util.Arrays.copyOf(start, n * 2);
      end = java.util.Arrays.copyOf(end, n * 2);
    }
    start[n] = from;
    end[n] = to;
    units.append(Character.toLowerCase(unit));
  }
}

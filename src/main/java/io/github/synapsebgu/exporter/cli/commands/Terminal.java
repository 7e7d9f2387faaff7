package io.github.synapsebgu.exporter.cli.commands;

/**
 * Text from Synapse (database and update names, error texts) made safe to print to a person. A name
 * holding ESC, CR or LF could otherwise clear the screen, retitle the window, or draw a fake "all
 * done, safe to upgrade" line; bidi overrides could make a name read as another. Such characters
 * are shown as escapes instead ({@code \x1b}, {@code \n}, {@code \r}, {@code \u202e}). Every
 * printing path of the commands goes through {@link #visible(String)}; {@code --output json}
 * escapes them itself, and the daemon's log layouts do too.
 */
public final class Terminal {
  private Terminal() {}

  public static String visible(String text) {
    if (text.codePoints().noneMatch(Terminal::hidden)) {
      return text; // the usual case: no copy
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    text.codePoints()
        .forEach(
            c -> {
              if (!hidden(c)) {
                out.appendCodePoint(c);
              } else if (c == '\n') {
                out.append("\\n");
              } else if (c == '\r') {
                out.append("\\r");
              } else if (c == '\t') {
                out.append("\\t");
              } else if (c < 0x100) {
                out.append(String.format("\\x%02x", c));
              } else {
                out.append(String.format("\\u%04x", c));
              }
            });
    return out.toString();
  }

  /**
   * C0 controls, DEL, C1 controls (U+0080-U+009F, which some terminals obey as escapes), the bidi
   * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the invisible bidi marks
   * and line separators that can reorder or break a line (U+061C, U+200E, U+200F, U+2028, U+2029).
   */
  private static boolean hidden(int c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x061c
        || c == 0x200e
        || c == 0x200f
        || c == 0x2028
        || c == 0x2029;
  }
}

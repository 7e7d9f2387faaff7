package io.github.synapsebgu.exporter.deploy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Splits Markdown into sections keyed by the anchor GitHub gives each heading. */
final class MarkdownSections {
  private MarkdownSections() {}

  /** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    return heading
        .strip()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} _-]", "")
        .replace(' ', '-');
  }

  /**
   * Section text (up to the next heading of any level) by anchor; headings in code fences ignored.
   */
  static Map<String, String> byAnchor(String markdown) {
    Map<String, String> sections = new LinkedHashMap<>();
    String anchor = null;
    StringBuilder body = new StringBuilder();
    boolean inFence = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("```")) {
        inFence = !inFence;
      }
      if (!inFence && line.matches("#{1,6} .*")) {
        if (anchor != null) {
          sections.putIfAbsent(anchor, body.toString());
        }
        anchor = slug(line.replaceFirst("^#+ ", ""));
        body.setLength(0);
      } else {
        body.append(line).append('\n');
      }
    }
    if (anchor != null) {
      sections.putIfAbsent(anchor, body.toString());
    }
    return sections;
  }
}

package io.github.synapsebgu.exporter.testing;

import io.github.synapsebgu.exporter.synapse.StatusParser;

/**
 * The status body that makes the most exposition the parser's caps allow: {@link
 * StatusParser#MAX_DATABASES} databases, every database and update name {@link
 * StatusParser#MAX_NAME_CHARS} characters of three bytes each in UTF-8 (under the 1 MiB body cap).
 */
public final class WorstCaseStatus {
  private WorstCaseStatus() {}

  public static String body() {
    StringBuilder b = new StringBuilder("{\"enabled\":true,\"current_updates\":{");
    for (int i = 0; i < StatusParser.MAX_DATABASES; i++) {
      String id = Integer.toString(i);
      String db = id + "\u20ac".repeat(StatusParser.MAX_NAME_CHARS - id.length());
      String update = "\u4e2d".repeat(StatusParser.MAX_NAME_CHARS - id.length()) + id;
      b.append(i == 0 ? "" : ",")
          .append('"')
          .append(db)
          .append("\":{\"name\":\"")
          .append(update)
          .append("\",\"total_item_count\":")
          .append(1_000_000_000L + i)
          .append(
              ",\"total_duration_ms\":123456789.125,\"average_items_per_ms\":0.6357220412595005}");
    }
    return b.append("}}").toString();
  }
}

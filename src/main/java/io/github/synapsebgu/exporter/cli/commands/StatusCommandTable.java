package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code status} command's human output: a header line and one aligned row per database. */
final class StatusCommandTable {
  private static final String[] HEADER = {"DATABASE", "UPDATE", "ITEMS", "RUN TIME", "RATE"};
  // Numbers align right so digits line up; names align left.
  private static final boolean[] RIGHT = {false, false, true, true, true};

  private StatusCommandTable() {}

  static String render(String url, StatusResponse status) {
    StringBuilder out = new StringBuilder();
    out.append("Synapse:            ").append(url).append('\n');
    out.append("Background updates: ")
        .append(status.enabled() ? "enabled" : "PAUSED (enabled: false)")
        .append('\n');
    if (status.currentUpdates().isEmpty()) {
      out.append(
          "Current updates:    none (all done, or Synapse has only just started and not yet"
              + " picked the next one)\n");
      return out.toString();
    }
    out.append('\n');
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (Map.Entry<String, CurrentUpdate> e : status.currentUpdates().entrySet()) {
      CurrentUpdate u = e.getValue();
      rows.add(
          new String[] {
            Terminal.visible(e.getKey()),
            Terminal.visible(u.name()),
            Formats.items(u.totalItemCount()),
            Formats.runTime(u.totalDurationMs()),
            Formats.rate(u)
          });
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String pad = " ".repeat(widths[i] - row[i].length());
        line.append(i == 0 ? "" : "  ").append(RIGHT[i] ? pad + row[i] : row[i] + pad);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}

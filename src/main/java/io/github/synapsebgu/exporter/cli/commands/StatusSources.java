package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.source.SourceException;
import io.github.synapsebgu.exporter.source.database.DatabaseSnapshot;
import io.github.synapsebgu.exporter.source.database.QueuedUpdate;
import io.github.synapsebgu.exporter.source.metrics.UpdaterState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code status} adds from the optional sources: the updater state per database and the whole
 * queue under the current update, as text or as JSON fields (only added to the documented shape).
 * Nothing is printed for a source that is not configured.
 */
final class StatusSources {
  private static final String[] HEADER = {"POS", "UPDATE", "WAITS FOR", "SCHEMA", "REMAINING"};
  private static final boolean[] RIGHT = {true, false, false, true, true};

  private StatusSources() {}

  /** One line per source that failed, for stderr. */
  static List<String> failures(SourceReading r) {
    List<String> lines = new ArrayList<>();
    for (Optional<SourceException> f : List.of(r.metricsFailure(), r.databaseFailure())) {
      f.ifPresent(
          e ->
              lines.add(
                  "cannot read the "
                      + e.source()
                      + " source ["
                      + e.reason().label()
                      + "]: "
                      + e.getMessage()));
    }
    return lines;
  }

  static String table(SourceReading r) {
    StringBuilder out = new StringBuilder();
    r.metrics()
        .ifPresent(
            m -> {
              List<String> states = new ArrayList<>();
              m.updaterStates()
                  .forEach(
                      (db, state) ->
                          states.add(
                              Terminal.visible(db)
                                  + ": "
                                  + (state == UpdaterState.ABORTED
                                      ? "ABORTED (retried only after a Synapse restart)"
                                      : state.label())));
              out.append("\nUpdater state:      ")
                  .append(states.isEmpty() ? "none reported" : String.join("; ", states))
                  .append('\n');
            });
    for (DatabaseSnapshot d : r.databases().orElse(List.of())) {
      out.append('\n')
          .append("Queue of ")
          .append(Terminal.visible(d.database()))
          .append(": ")
          .append(d.queue().size())
          .append(d.queue().size() == 1 ? " update" : " updates")
          .append(" left")
          .append(
              d.schemaVersion().isPresent()
                  ? ", schema version " + d.schemaVersion().getAsLong()
                  : "")
          .append('\n');
      if (d.queue().isEmpty()) {
        continue;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(HEADER);
      for (QueuedUpdate u : d.queue()) {
        rows.add(
            new String[] {
              Integer.toString(u.position()),
              Terminal.visible(u.name()),
              u.dependsOn().map(Terminal::visible).orElse("-"),
              schemaVersion(u.ordering()).map(v -> Long.toString(v)).orElse(""),
              u.remaining().isPresent() ? Formats.items(u.remaining().getAsLong()) : "-"
            });
      }
      out.append(aligned(rows));
    }
    return out.toString();
  }

  /**
   * The schema version an update came with: Synapse's {@code ordering} is the version x 100 + n
   * (9101: schema 91); empty for 0, a job started by hand.
   */
  static Optional<Long> schemaVersion(long ordering) {
    return ordering <= 0 ? Optional.empty() : Optional.of(ordering / 100);
  }

  private static String aligned(List<String[]> rows) {
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
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

  /**
   * Adds {@code updater_states} ({database: state}, with the metrics URL) and {@code queues} (with
   * a database) to the JSON object; a source that failed adds {@code source_errors}.
   */
  static void json(ObjectNode root, SourceReading r) {
    r.metrics()
        .ifPresent(
            m -> {
              ObjectNode states = root.putObject("updater_states");
              for (Map.Entry<String, UpdaterState> e : m.updaterStates().entrySet()) {
                states.put(e.getKey(), e.getValue().label());
              }
            });
    r.databases()
        .ifPresent(
            all -> {
              ArrayNode queues = root.putArray("queues");
              for (DatabaseSnapshot d : all) {
                ObjectNode q = queues.addObject();
                q.put("database", d.database());
                q.put("pending", d.queue().size());
                if (d.schemaVersion().isPresent()) {
                  q.put("schema_version", d.schemaVersion().getAsLong());
                } else {
                  q.putNull("schema_version");
                }
                ArrayNode updates = q.putArray("updates");
                for (QueuedUpdate u : d.queue()) {
                  ObjectNode row = updates.addObject();
                  row.put("position", u.position());
                  row.put("update", u.name());
                  row.put("depends_on", u.dependsOn().orElse(null));
                  row.put("ordering", u.ordering());
                  Optional<Long> schema = schemaVersion(u.ordering());
                  if (schema.isPresent()) {
                    row.put("schema_version", schema.get());
                  } else {
                    row.putNull("schema_version");
                  }
                  if (u.remaining().isPresent()) {
                    row.put("items_remaining", u.remaining().getAsLong());
                  } else {
                    row.putNull("items_remaining");
                  }
                }
              }
            });
    List<Optional<SourceException>> failures = List.of(r.metricsFailure(), r.databaseFailure());
    if (failures.stream().anyMatch(Optional::isPresent)) {
      ArrayNode errors = root.putArray("source_errors");
      for (Optional<SourceException> f : failures) {
        f.ifPresent(
            e -> {
              ObjectNode row = errors.addObject();
              row.put("source", e.source());
              row.put("reason", e.reason().label());
              row.put("message", e.getMessage());
            });
      }
    }
  }
}

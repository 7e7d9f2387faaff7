package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import java.util.Map;
import java.util.OptionalDouble;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code status --output json}. The shape is a documented interface for scripts: fields are only
 * ever added, never renamed or removed. Names and units follow the exporter's metrics.
 *
 * <pre>
 * {
 *   "synapse_url" : "http://localhost:8008",
 *   "enabled" : true,
 *   "in_progress" : 1,
 *   "current_updates" : [ {
 *     "database" : "master",
 *     "update" : "populate_stats_process_rooms",
 *     "items_processed" : 12,
 *     "duration_seconds" : 0.019,
 *     "items_per_second" : 635.72   (null while Synapse reports no rate yet)
 *   } ]
 * }
 * </pre>
 */
final class StatusCommandJson {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private StatusCommandJson() {}

  static String render(String url, StatusResponse status) {
    return render(url, status, SourceReading.NONE);
  }

  /** With what the optional sources read (fields added only for a configured source). */
  static String render(String url, StatusResponse status, SourceReading sources) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("synapse_url", url);
    root.put("enabled", status.enabled());
    root.put("in_progress", status.currentUpdates().size());
    ArrayNode updates = root.putArray("current_updates");
    for (Map.Entry<String, CurrentUpdate> e : status.currentUpdates().entrySet()) {
      CurrentUpdate u = e.getValue();
      ObjectNode row = updates.addObject();
      row.put("database", e.getKey());
      row.put("update", u.name());
      row.put("items_processed", u.totalItemCount());
      row.put("duration_seconds", u.totalDurationMs() / 1000);
      OptionalDouble rate = Formats.perSecond(u);
      if (rate.isPresent()) {
        row.put("items_per_second", rate.getAsDouble());
      } else {
        row.putNull("items_per_second");
      }
    }
    StatusSources.json(root, sources);
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }
}

package io.github.synapsebgu.exporter.page;

import io.github.synapsebgu.exporter.page.HomeserverView.DatabaseView;
import io.github.synapsebgu.exporter.page.HomeserverView.Failure;
import io.github.synapsebgu.exporter.page.HomeserverView.IndexProgress;
import io.github.synapsebgu.exporter.page.HomeserverView.Queued;
import io.github.synapsebgu.exporter.page.HomeserverView.Running;
import io.github.synapsebgu.exporter.page.HomeserverView.SourceHealth;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The page's JSON twin: the same {@link Overview}, field by field, written explicitly so the shape
 * is the one documented and a field unknown is absent (never null). Times are Unix seconds, as in
 * /metrics.
 */
final class OverviewJson {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private OverviewJson() {}

  static byte[] write(Overview o) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("generated_at", Instant.ofEpochMilli(o.generatedEpochMillis()).toString());
    root.put("refresh_seconds", o.refreshSeconds());
    ObjectNode counts = root.putObject("counts");
    for (FleetState s : FleetState.values()) {
      counts.put(s.label(), o.counts().getOrDefault(s, 0));
    }
    ArrayNode list = root.putArray("homeservers");
    for (HomeserverView v : o.homeservers()) {
      homeserver(list.addObject(), v);
    }
    return MAPPER.writeValueAsBytes(root);
  }

  private static void homeserver(ObjectNode n, HomeserverView v) {
    n.put("name", v.name());
    n.put("state", v.state().label());
    n.put("first_poll_done", v.firstPollDone());
    n.put("up", v.up());
    v.enabled().ifPresent(e -> n.put("enabled", e));
    put(n, "pause_until_timestamp_seconds", v.pauseUntilEpochSeconds());
    n.put("last_poll_success_timestamp_seconds", v.lastSuccessEpochSeconds());
    n.put("poll_duration_seconds", v.lastPollDurationSeconds());
    put(n, "time_left_seconds", v.timeLeftSeconds());
    put(n, "pending", v.pending());
    ArrayNode failures = n.putArray("failures");
    for (Failure f : v.failures()) {
      ObjectNode x = failures.addObject();
      x.put("source", f.source());
      x.put("reason", f.reason());
      x.put("hint", f.hint());
      x.put("timestamp_seconds", f.epochMillis() / 1000.0);
    }
    ObjectNode sources = n.putObject("sources");
    for (SourceHealth s : v.sources()) {
      sources.put(s.source(), s.up());
    }
    ArrayNode databases = n.putArray("databases");
    for (DatabaseView d : v.databases()) {
      database(databases.addObject(), d);
    }
  }

  private static void database(ObjectNode n, DatabaseView d) {
    n.put("name", d.name());
    d.updaterState().ifPresent(s -> n.put("updater_state", s));
    put(n, "pending", d.pending());
    put(n, "done_since_first_seen", d.doneSinceFirstSeen());
    put(n, "schema_version", d.schemaVersion());
    d.running().ifPresent(r -> running(n.putObject("running"), r));
    ArrayNode queue = n.putArray("queue");
    for (Queued q : d.queue()) {
      ObjectNode x = queue.addObject();
      x.put("position", q.position());
      x.put("update", q.update());
      x.put("ordering", q.ordering());
      q.dependsOn().ifPresent(s -> x.put("depends_on", s));
      put(x, "items_remaining", q.itemsRemaining());
    }
    ArrayNode builds = n.putArray("index_builds");
    for (IndexProgress b : d.indexBuilds()) {
      ObjectNode x = builds.addObject();
      x.put("update", b.update());
      x.put("index", b.index());
      x.put("table", b.table());
      x.put("phase", b.phase());
      put(x, "blocks_done", b.blocksDone());
      put(x, "blocks_expected", b.blocksExpected());
      put(x, "tuples_done", b.tuplesDone());
      put(x, "tuples_expected", b.tuplesExpected());
    }
  }

  private static void running(ObjectNode n, Running r) {
    n.put("update", r.update());
    n.put("items_processed", r.items());
    put(n, "items_per_second", r.itemsPerSecond());
    n.put("duration_seconds", r.durationSeconds());
    n.put("last_progress_timestamp_seconds", r.lastProgressEpochSeconds());
    put(n, "items_remaining", r.itemsRemaining());
    put(n, "estimated_remaining_seconds", r.estimatedRemainingSeconds());
  }

  private static void put(ObjectNode n, String field, OptionalDouble v) {
    v.ifPresent(x -> n.put(field, x));
  }

  private static void put(ObjectNode n, String field, OptionalLong v) {
    v.ifPresent(x -> n.put(field, x));
  }
}

package io.github.synapsebgu.exporter.admin;

import io.github.synapsebgu.exporter.config.PromDuration;
import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.TrackedUpdate;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON of {@code GET /api/v1/status}: the last poll's snapshot, as the metrics see it. */
final class AdminStatusJson {
  private AdminStatusJson() {}

  static ObjectNode render(
      PollSnapshot s, Optional<TimedPause.Active> pause, long nowMillis, long staleAfterMillis) {
    ObjectNode root = Json.object();
    if (s.enabled().isPresent()) {
      root.put("enabled", s.enabled().get());
    } else {
      root.putNull("enabled");
    }
    ArrayNode updates = root.putArray("current_updates");
    for (TrackedUpdate u : s.updates()) {
      ObjectNode o = updates.addObject();
      o.put("database", u.database());
      o.put("update", u.update().name());
      o.put("items_processed", u.update().totalItemCount());
      o.put("duration_seconds", u.update().durationSeconds());
      if (u.update().itemsPerSecond().isPresent()) {
        o.put("items_per_second", u.update().itemsPerSecond().getAsDouble());
      } else {
        o.putNull("items_per_second");
      }
      o.put("last_progress", Json.time(Instant.ofEpochMilli(u.lastProgressEpochMillis())));
    }

    ObjectNode poll = root.putObject("poll");
    poll.put("up", s.up());
    // Same rule as /metrics, which hides the values above once they are this old.
    poll.put("stale", s.dataIsStale(nowMillis, staleAfterMillis));
    if (s.lastSuccessEpochMillis() > 0) {
      poll.put("last_success", Json.time(Instant.ofEpochMilli(s.lastSuccessEpochMillis())));
    } else {
      poll.putNull("last_success");
    }
    if (s.lastFailure().isPresent()) {
      PollSnapshot.PollFailure f = s.lastFailure().get();
      ObjectNode error = poll.putObject("last_error");
      error.put("reason", f.reason().label());
      error.put("message", f.message());
      error.put("at", Json.time(Instant.ofEpochMilli(f.epochMillis())));
    } else {
      poll.putNull("last_error");
    }

    if (pause.isPresent()) {
      ObjectNode p = root.putObject("timed_pause");
      p.put("since", Json.time(pause.get().since()));
      p.put("resume_at", Json.time(pause.get().resumeAt()));
      p.put("duration", PromDuration.format(pause.get().length()));
    } else {
      root.putNull("timed_pause");
    }
    return root;
  }
}

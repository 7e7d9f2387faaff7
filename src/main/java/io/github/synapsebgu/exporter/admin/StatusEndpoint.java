package io.github.synapsebgu.exporter.admin;

import com.sun.net.httpserver.HttpExchange;
import io.github.synapsebgu.exporter.poll.Poller;
import java.time.Clock;
import java.time.Duration;

/** {@code GET /api/v1/status}: the last poll's snapshot; never calls Synapse. */
final class StatusEndpoint extends Endpoint {
  private final Poller poller;
  private final TimedPause pause;
  private final Clock clock;
  private final Duration staleAfter;

  StatusEndpoint(
      String base,
      BearerAuth auth,
      AdminMetrics metrics,
      AuditLog audit,
      Poller poller,
      TimedPause pause,
      Clock clock,
      Duration staleAfter) {
    super(base + "/status", "GET", Action.STATUS, auth, metrics, audit);
    this.poller = poller;
    this.pause = pause;
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  @Override
  Reply serve(HttpExchange exchange, Call call) {
    return Reply.ok(
        AdminStatusJson.render(
            poller.snapshot(), pause.active(), clock.millis(), staleAfter.toMillis()));
  }
}

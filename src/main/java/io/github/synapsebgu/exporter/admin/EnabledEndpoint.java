package io.github.synapsebgu.exporter.admin;

import com.sun.net.httpserver.HttpExchange;
import io.github.synapsebgu.exporter.config.PromDuration;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.io.IOException;
import java.time.Duration;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/v1/enabled}: pause (optionally for a while) or resume, through Synapse's {@code
 * POST .../background_updates/enabled}; answers with Synapse's result plus {@code resume_at} when
 * timed.
 */
final class EnabledEndpoint extends Endpoint {
  private final TimedPause pause;
  private final Duration maxPause;
  private final Runnable pollAndWait;

  EnabledEndpoint(
      String base,
      BearerAuth auth,
      AdminMetrics metrics,
      AuditLog audit,
      TimedPause pause,
      Duration maxPause,
      Runnable pollAndWait) {
    super(base + "/enabled", "POST", Action.UNREAD_ENABLED_REQUEST, auth, metrics, audit);
    this.pause = pause;
    this.maxPause = maxPause;
    this.pollAndWait = pollAndWait;
  }

  @Override
  Reply serve(HttpExchange exchange, Call call) throws ApiError, IOException {
    ObjectNode body = RequestBody.readObject(exchange);
    EnabledRequest request = EnabledRequest.parse(body, maxPause);
    call.action(request.action());
    request.pauseFor().ifPresent(d -> call.audit("for", PromDuration.format(d)));
    TimedPause.Change change;
    try {
      change = pause.set(request.enabled(), request.pauseFor());
    } catch (SynapseException e) {
      return Upstream.reply(e);
    } catch (BusyException e) {
      return Upstream.busy();
    }
    pollAndWait.run();
    ObjectNode answer = synapseObject(change.synapseBody());
    if (!answer.has("enabled")) {
      answer.put("enabled", request.enabled());
    }
    change
        .timed()
        .ifPresent(
            t -> {
              answer.put("resume_at", Json.time(t.resumeAt()));
              call.audit("resume_at", Json.time(t.resumeAt()));
            });
    change
        .ended()
        .ifPresent(
            t -> {
              answer.put("cancelled_resume_at", Json.time(t.resumeAt()));
              call.audit("cancelled_resume_at", Json.time(t.resumeAt()));
            });
    return Reply.ok(answer);
  }
}

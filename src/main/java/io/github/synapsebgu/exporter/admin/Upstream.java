package io.github.synapsebgu.exporter.admin;

import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** Turns a failed call to Synapse into the admin API's answer. */
final class Upstream {
  private Upstream() {}

  /**
   * Synapse's own refusal of the request (a 4xx with its JSON error, e.g. "already in queue")
   * passes through with its status, {@code errcode} and {@code error}. Anything else is 502 with
   * the reason: unreachable, timeout, a proxy's error page, and also 401/403/404, which are about
   * the exporter's Synapse token or URL, not about the client's request.
   */
  static Reply reply(SynapseException e) {
    int status = e.httpStatus();
    if (e.refusedBySynapse()) {
      ObjectNode body = Json.object();
      body.put("error", e.error().orElse(e.errcode().get()));
      body.put("errcode", e.errcode().get());
      body.put("detail", "refused by Synapse");
      return new Reply(status, Outcome.UPSTREAM_ERROR, body, Map.of(), Map.of())
          .withAudit("synapse_status", status)
          .withAudit("errcode", e.errcode().get());
    }
    ObjectNode detail = Json.object();
    detail.put("reason", e.reason().label());
    detail.put("message", e.getMessage());
    if (status != 0) {
      detail.put("synapse_status", status);
    }
    Reply reply =
        Reply.error(
                502,
                Outcome.UPSTREAM_ERROR,
                "the exporter's request to Synapse failed: " + e.reason().explanation(),
                detail)
            .withAudit("reason", e.reason().label());
    return status == 0 ? reply : reply.withAudit("synapse_status", status);
  }

  static Reply busy() {
    return Reply.error(
            503,
            Outcome.UPSTREAM_ERROR,
            "another change to background updates is still in progress; try again")
        .withHeader("Retry-After", "1")
        .withAudit("reason", "busy");
  }
}

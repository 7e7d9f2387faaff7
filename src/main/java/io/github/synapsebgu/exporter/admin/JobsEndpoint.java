package io.github.synapsebgu.exporter.admin;

import com.sun.net.httpserver.HttpExchange;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.io.IOException;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/v1/jobs}: checks the job locally, then Synapse's {@code POST
 * .../background_updates/start_job}.
 */
final class JobsEndpoint extends Endpoint {
  private final SynapseClient client;
  private final Runnable pollAndWait;

  JobsEndpoint(
      String base,
      BearerAuth auth,
      AdminMetrics metrics,
      AuditLog audit,
      SynapseClient client,
      Runnable pollAndWait) {
    super(base + "/jobs", "POST", Action.START_JOB, auth, metrics, audit);
    this.client = client;
    this.pollAndWait = pollAndWait;
  }

  @Override
  Reply serve(HttpExchange exchange, Call call) throws ApiError, IOException {
    JobRequest request = JobRequest.parse(RequestBody.readObject(exchange));
    call.audit("job", request.jobName());
    byte[] answer;
    try {
      answer = client.post("start_job", Json.MAPPER.writeValueAsBytes(request.toSynapse()));
    } catch (SynapseException e) {
      return Upstream.reply(e);
    }
    pollAndWait.run();
    ObjectNode body = synapseObject(answer);
    body.put("job_name", request.jobName());
    return Reply.ok(body);
  }
}

package io.github.synapsebgu.exporter.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.synapsebgu.exporter.http.Responses;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every admin endpoint does around its own work: the bearer check first, then the JSON answer,
 * one audit line and one count, whatever happened.
 */
abstract class Endpoint implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(Endpoint.class);

  /** Per request: the action (an endpoint may refine it once the body is read) and audit facts. */
  static final class Call {
    private Action action;
    private final Map<String, Object> audit = new LinkedHashMap<>();

    private Call(Action action) {
      this.action = action;
    }

    void action(Action action) {
      this.action = action;
    }

    void audit(String key, Object value) {
      audit.put(key, value);
    }
  }

  private final String path;
  private final String method;
  private final Action initialAction;
  private final BearerAuth auth;
  private final AdminMetrics metrics;
  private final AuditLog audit;

  Endpoint(
      String path,
      String method,
      Action initialAction,
      BearerAuth auth,
      AdminMetrics metrics,
      AuditLog audit) {
    this.path = path;
    this.method = method;
    this.initialAction = initialAction;
    this.auth = auth;
    this.metrics = metrics;
    this.audit = audit;
  }

  String path() {
    return path;
  }

  String method() {
    return method;
  }

  Action initialAction() {
    return initialAction;
  }

  /** The endpoint's work, after the token was checked. */
  abstract Reply serve(HttpExchange exchange, Call call) throws ApiError, IOException;

  @Override
  public final void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    Call call = new Call(initialAction);
    Reply reply;
    try {
      auth.check(exchange);
      reply = serve(exchange, call);
    } catch (ApiError e) {
      reply = e.reply();
    } catch (IOException e) {
      // The client went away while sending its body: still audited and counted below.
      reply =
          Reply.error(400, Outcome.BAD_REQUEST, "could not read the request body")
              .withAudit("field", "body");
    } catch (RuntimeException e) {
      log.atError().setCause(e).addKeyValue("path", path).log("Admin API request failed");
      // A bug of ours: no outcome fits, and upstream_error is the one operators alert on.
      reply = Reply.error(500, Outcome.UPSTREAM_ERROR, "internal error; see the exporter's log");
    }
    Map<String, Object> fields = new LinkedHashMap<>(call.audit);
    fields.putAll(reply.audit());
    try {
      send(exchange, reply);
    } finally {
      metrics.count(call.action, reply.outcome());
      audit.record(
          call.action.label(),
          reply.outcome(),
          reply.status(),
          exchange.getRemoteAddress(),
          exchange.getRequestMethod(),
          path,
          fields,
          start);
    }
  }

  /** JSON, never cached, never readable cross-origin (no CORS headers are ever sent). */
  static void send(HttpExchange exchange, Reply reply) throws IOException {
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    byte[] body = Json.MAPPER.writeValueAsBytes(reply.body());
    byte[] withNewline = Arrays.copyOf(body, body.length + 1);
    withNewline[body.length] = '\n'; // so curl's output ends its line
    Responses.send(exchange, reply.status(), "application/json", withNewline);
  }

  static ObjectNode synapseObject(byte[] body) {
    try {
      var node = Json.MAPPER.readTree(body);
      if (node != null && node.isObject()) {
        return (ObjectNode) node;
      }
    } catch (JacksonException e) {
      // Synapse answered 2xx, so the change happened: answer with what we know instead.
    }
    return Json.object();
  }
}

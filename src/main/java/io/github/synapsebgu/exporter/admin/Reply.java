package io.github.synapsebgu.exporter.admin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One admin API answer: status, JSON body, extra headers, and what the audit line says about it.
 *
 * @param audit value-free facts for the audit log (field names, reasons, errcodes): never request
 *     values, which could hold anything a client pasted
 */
record Reply(
    int status,
    Outcome outcome,
    ObjectNode body,
    Map<String, String> headers,
    Map<String, Object> audit) {

  /** Field names we define; any other name a client sends is logged only as "unknown". */
  private static final Set<String> KNOWN_FIELDS =
      Set.of("enabled", "for", "job_name", "old_key", "before_ts");

  Reply {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    audit = Collections.unmodifiableMap(new LinkedHashMap<>(audit));
  }

  static Reply ok(ObjectNode body) {
    return new Reply(200, Outcome.OK, body, Map.of(), Map.of());
  }

  /**
   * {@code {"error": "...", "detail": ...}}, the shape of every error the exporter itself makes.
   */
  static Reply error(int status, Outcome outcome, String error, JsonNode detail) {
    ObjectNode body = Json.object();
    body.put("error", error);
    body.set("detail", detail == null ? Json.MAPPER.nullNode() : detail);
    return new Reply(status, outcome, body, Map.of(), Map.of());
  }

  static Reply error(int status, Outcome outcome, String error) {
    return error(status, outcome, error, (JsonNode) null);
  }

  static Reply error(int status, Outcome outcome, String error, String detail) {
    return error(
        status,
        outcome,
        error,
        detail == null ? null : Json.MAPPER.getNodeFactory().stringNode(detail));
  }

  /** A 400 that names the offending field, in the message and in {@code detail.field}. */
  static Reply badField(String field, String message) {
    ObjectNode detail = Json.object();
    detail.put("field", field);
    return error(400, Outcome.BAD_REQUEST, message, detail)
        .withAudit("field", KNOWN_FIELDS.contains(field) ? field : "unknown");
  }

  Reply withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Reply(status, outcome, body, h, audit);
  }

  Reply withAudit(String key, Object value) {
    Map<String, Object> a = new LinkedHashMap<>(audit);
    a.put(key, value);
    return new Reply(status, outcome, body, headers, a);
  }
}

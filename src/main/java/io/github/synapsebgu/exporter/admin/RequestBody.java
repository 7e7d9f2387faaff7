package io.github.synapsebgu.exporter.admin;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads a POST body the admin API accepts: JSON, at most 16 KiB, one object. */
final class RequestBody {
  static final int MAX_BYTES = 16 * 1024;

  private RequestBody() {}

  /**
   * @throws ApiError 415 unless {@code Content-Type: application/json} (which a cross-site HTML
   *     form cannot send), 413 over 16 KiB, 400 unless one JSON object
   */
  static ObjectNode readObject(HttpExchange exchange) throws ApiError, IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (!isJson(type)) {
      throw new ApiError(
          Reply.error(
              415,
              Outcome.BAD_REQUEST,
              "Content-Type must be application/json",
              type == null ? "no Content-Type header" : "got " + type));
    }
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null && declaredTooLarge(declared)) {
      throw tooLarge();
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BYTES + 1);
    }
    if (body.length > MAX_BYTES) {
      throw tooLarge();
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw new ApiError(
          Reply.error(
                  400,
                  Outcome.BAD_REQUEST,
                  "request body is not valid JSON",
                  e.getOriginalMessage())
              .withAudit("field", "body"));
    }
    if (root == null || root.isMissingNode() || !root.isObject()) {
      throw new ApiError(
          Reply.error(
                  400,
                  Outcome.BAD_REQUEST,
                  "request body must be a JSON object, got " + Json.kind(root))
              .withAudit("field", "body"));
    }
    return (ObjectNode) root;
  }

  /**
   * Refuses fields outside {@code allowed}: a typo ({@code "duration"} for {@code "for"}) must not
   * silently turn a timed pause into an endless one.
   */
  static void rejectUnknownFields(ObjectNode body, List<String> allowed) throws ApiError {
    for (String name : body.propertyNames()) {
      if (!allowed.contains(name)) {
        throw new ApiError(
            Reply.badField(
                name,
                "unknown field \"" + name + "\" (allowed: " + String.join(", ", allowed) + ")"));
      }
    }
  }

  /** {@code application/json}, optionally with {@code charset=utf-8}; JSON is UTF-8 (RFC 8259). */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";");
    if (!parts[0].strip().toLowerCase(Locale.ROOT).equals("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].strip().toLowerCase(Locale.ROOT).replace("\"", "");
      if (param.startsWith("charset=") && !param.equals("charset=utf-8")) {
        return false;
      }
    }
    return true;
  }

  private static boolean declaredTooLarge(String declared) {
    try {
      return Long.parseLong(declared.strip()) > MAX_BYTES;
    } catch (NumberFormatException e) {
      return false; // the server rejects a malformed length itself; reading finds the real size
    }
  }

  private static ApiError tooLarge() {
    return new ApiError(
        Reply.error(413, Outcome.BAD_REQUEST, "request body larger than " + MAX_BYTES + " bytes"));
  }
}

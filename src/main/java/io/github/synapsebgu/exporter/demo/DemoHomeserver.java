package io.github.synapsebgu.exporter.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.synapsebgu.exporter.http.HttpServerDefaults;
import io.github.synapsebgu.exporter.http.Responses;
import io.github.synapsebgu.exporter.secrets.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A simulated homeserver on a loopback port, for {@code --demo}: it answers the background-updates
 * admin API (status, enabled, start_job) with Synapse's shapes and insists on its own random admin
 * token, like Synapse, so the exporter, its admin API and the operator commands run through exactly
 * the same client code as in production.
 */
public final class DemoHomeserver implements AutoCloseable {
  private static final String API = "/_synapse/admin/v1/background_updates/";
  private static final String UNRECOGNIZED =
      "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}";
  private static final java.util.Set<String> JOBS =
      java.util.Set.of("populate_stats_process_rooms", "regenerate_directory", "event_resign");
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final HttpServer server;
  private final Secret token;
  private volatile boolean pausedByAdmin;
  // Start a little into the cycle, so the first scrape already shows updates on both databases.
  private final long startNanos = System.nanoTime() - 25_000_000_000L;

  private DemoHomeserver(HttpServer server, Secret token) {
    this.server = server;
    this.token = token;
  }

  public static DemoHomeserver start() throws IOException {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    Secret token = new Secret("demo_" + HexFormat.of().formatHex(random));
    // Before the first JDK server of the process: the exporter's own listener starts after this.
    HttpServerDefaults.apply();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    DemoHomeserver demo = new DemoHomeserver(server, token);
    server.createContext("/", demo::handle).getFilters().add(HttpServerDefaults.keepAliveFilter());
    server.start();
    return demo;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public Secret token() {
    return token;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("Bearer ")) {
        json(exchange, 401, "{\"errcode\":\"M_MISSING_TOKEN\",\"error\":\"Missing access token\"}");
      } else if (!token.matches(auth.substring("Bearer ".length()))) {
        json(
            exchange,
            401,
            "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\",\"soft_logout\":false}");
      } else {
        route(exchange, exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
      }
    }
  }

  /**
   * The same endpoints and answers as Synapse's, so the admin API and the CLI can be tried in the
   * demo too.
   */
  private void route(HttpExchange exchange, String request) throws IOException {
    switch (request) {
      case "GET " + API + "status" -> {
        Map<String, Object> status = DemoScript.statusAt((System.nanoTime() - startNanos) / 1e9);
        if (pausedByAdmin) {
          status.put("enabled", false);
        }
        json(exchange, 200, MAPPER.writeValueAsString(status));
      }
      case "GET " + API + "enabled" -> json(exchange, 200, "{\"enabled\":" + !pausedByAdmin + "}");
      case "POST " + API + "enabled" -> {
        JsonNode body = body(exchange);
        if (body == null) {
          return;
        }
        JsonNode enabled = body.path("enabled");
        if (!enabled.isMissingNode() && !enabled.isBoolean()) {
          json(
              exchange,
              400,
              "{\"errcode\":\"M_UNKNOWN\",\"error\":\"'enabled' parameter must be a boolean\"}");
          return;
        }
        // As in Synapse, a missing field means true.
        pausedByAdmin = !enabled.asBoolean(true);
        json(exchange, 200, "{\"enabled\":" + !pausedByAdmin + "}");
      }
      case "POST " + API + "start_job" -> {
        JsonNode body = body(exchange);
        if (body == null) {
          return;
        }
        JsonNode job = body.path("job_name");
        if (job.isMissingNode()) {
          json(
              exchange,
              400,
              "{\"errcode\":\"M_MISSING_PARAM\",\"error\":\"Missing params: ['job_name']\"}");
        } else if (!JOBS.contains(job.asString(""))) {
          json(exchange, 400, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Invalid job_name\"}");
        } else {
          json(exchange, 200, "{}");
        }
      }
      default ->
          json(exchange, request.startsWith("GET " + API + "start_job") ? 405 : 404, UNRECOGNIZED);
    }
  }

  /** The request's JSON object, or null after answering Synapse's error for anything else. */
  private static JsonNode body(HttpExchange exchange) throws IOException {
    try {
      JsonNode node = MAPPER.readTree(exchange.getRequestBody().readNBytes(64 * 1024));
      if (node != null && node.isObject()) {
        return node;
      }
      json(
          exchange,
          400,
          "{\"errcode\":\"M_BAD_JSON\",\"error\":\"Content must be a JSON object.\"}");
    } catch (tools.jackson.core.JacksonException e) {
      json(exchange, 400, "{\"errcode\":\"M_NOT_JSON\",\"error\":\"Content not JSON.\"}");
    }
    return null;
  }

  private static void json(HttpExchange exchange, int status, String body) throws IOException {
    Responses.send(
        exchange,
        status,
        "application/json",
        body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

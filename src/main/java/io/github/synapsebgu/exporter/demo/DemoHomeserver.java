package io.github.synapsebgu.exporter.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.synapsebgu.exporter.config.SourcesConfig;
import io.github.synapsebgu.exporter.http.HttpServerDefaults;
import io.github.synapsebgu.exporter.http.Responses;
import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.source.database.DatabaseUrl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A simulated homeserver on a loopback port, for {@code --demo}: it answers the background-updates
 * admin API (status, enabled, start_job) with Synapse's shapes and insists on its own random admin
 * token, like Synapse, so the exporter, its admin API and the operator commands run through exactly
 * the same client code as in production. Like a real Synapse it also serves its metrics endpoint
 * ({@code /_synapse/metrics}, no token) and keeps its {@code background_updates} tables in real
 * SQLite files ({@link DemoDatabases}), which the exporter reads through its real readers ({@link
 * #sources()}); only the index builds' progress, which only PostgreSQL reports, is simulated.
 */
public final class DemoHomeserver implements AutoCloseable {
  private static final String API = "/_synapse/admin/v1/background_updates/";
  private static final String UNRECOGNIZED =
      "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}";
  private static final java.util.Set<String> JOBS =
      java.util.Set.of("populate_stats_process_rooms", "regenerate_directory", "event_resign");
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private static final String METRICS = "/_synapse/metrics";

  private final HttpServer server;
  private final Secret token;
  private final DemoDatabases databases;
  private volatile boolean pausedByAdmin;
  // The cycle's start: the demo starts into it, so the first scrape already shows a queue, a rate
  // and an index build.
  private final long startNanos;
  private final double startEpochSeconds =
      System.currentTimeMillis() / 1000.0 - DemoScript.START_SECONDS;

  private DemoHomeserver(
      HttpServer server, Secret token, DemoDatabases databases, long startNanos) {
    this.server = server;
    this.token = token;
    this.databases = databases;
    this.startNanos = startNanos;
  }

  public static DemoHomeserver start() throws IOException {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    Secret token = new Secret("demo_" + HexFormat.of().formatHex(random));
    // Before the first JDK server of the process: the exporter's own listener starts after this.
    HttpServerDefaults.apply();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    long startNanos = System.nanoTime() - DemoScript.START_SECONDS * 1_000_000_000L;
    DemoDatabases databases;
    try {
      databases = DemoDatabases.start(() -> (System.nanoTime() - startNanos) / 1e9);
    } catch (IOException | RuntimeException e) {
      server.stop(0);
      throw e;
    }
    DemoHomeserver demo = new DemoHomeserver(server, token, databases, startNanos);
    server.createContext("/", demo::handle).getFilters().add(HttpServerDefaults.keepAliveFilter());
    server.start();
    return demo;
  }

  /** Seconds since the demo's cycle began (it starts {@link DemoScript#START_SECONDS} in). */
  private double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * The optional sources a real deployment would configure: this server's metrics endpoint and its
   * two databases (SQLite files read by the real reader; index builds simulated).
   */
  public SourcesConfig sources() {
    List<DatabaseUrl> urls =
        databases.files().entrySet().stream()
            .<DatabaseUrl>map(
                e ->
                    new DatabaseUrl.SimulatedIndexBuilds(
                        new DatabaseUrl.Sqlite(e.getKey(), e.getValue()),
                        () -> DemoScript.indexBuildsAt(e.getKey(), seconds())))
            .toList();
    return new SourcesConfig(Optional.of(url().resolve(METRICS)), urls, Optional.empty());
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public Secret token() {
    return token;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (exchange.getRequestURI().getPath().equals(METRICS)) {
        // Synapse's metrics listener asks for no token.
        if (exchange.getRequestMethod().equals("GET")) {
          metrics(exchange);
        } else {
          json(exchange, 405, UNRECOGNIZED);
        }
        return;
      }
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
        Map<String, Object> status = DemoScript.statusAt(seconds());
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

  /** Synapse's text format, as its metrics listener serves it (the series the exporter reads). */
  private void metrics(HttpExchange exchange) throws IOException {
    double t = seconds();
    StringBuilder body = new StringBuilder();
    body.append("# HELP process_start_time_seconds Start time of the process since unix epoch in")
        .append(" seconds.\n# TYPE process_start_time_seconds gauge\n")
        .append("process_start_time_seconds ")
        .append(startEpochSeconds + DemoScript.lastStartAt(t))
        .append('\n');
    body.append("# HELP synapse_background_update_status Background update status\n")
        .append("# TYPE synapse_background_update_status gauge\n");
    for (String database : databases.files().keySet()) {
      int status = DemoScript.updaterStatus(database, t);
      if (pausedByAdmin && status > 0) {
        status = 0; // disabled through the admin API
      }
      body.append("synapse_background_update_status{database_name=\"")
          .append(database)
          .append("\",server_name=\"demo.local\"} ")
          .append(status)
          .append(".0\n");
    }
    Responses.send(
        exchange,
        200,
        "text/plain; version=0.0.4; charset=utf-8",
        body.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
    databases.close();
  }
}

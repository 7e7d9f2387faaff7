package io.github.synapsebgu.exporter.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.synapsebgu.exporter.config.Secret;
import io.github.synapsebgu.exporter.http.HttpServerDefaults;
import io.github.synapsebgu.exporter.http.Responses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import tools.jackson.databind.json.JsonMapper;

/**
 * A simulated homeserver on a loopback port, for {@code --demo}: it answers the status API (and
 * insists on its own random admin token, like Synapse) so the exporter runs through exactly the
 * same client code as in production.
 */
public final class DemoHomeserver implements AutoCloseable {
  private static final String STATUS = "/_synapse/admin/v1/background_updates/status";
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final HttpServer server;
  private final Secret token;
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
    server.createContext("/", demo::handle);
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
      } else if (!exchange.getRequestURI().getPath().equals(STATUS)) {
        json(exchange, 404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}");
      } else {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        json(exchange, 200, MAPPER.writeValueAsString(DemoScript.statusAt(seconds)));
      }
    }
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

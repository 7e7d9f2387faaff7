package io.github.synapsebgu.exporter.http.webconfig;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Applies the web config to a request before it is routed: the configured response headers, then
 * basic auth. A refused request gets 401 with {@code WWW-Authenticate: Basic}, like the toolkit.
 */
public final class AccessControl {
  private static final byte[] UNAUTHORIZED = "Unauthorized\n".getBytes(StandardCharsets.UTF_8);

  private final WebConfigSource source;
  private final BasicAuth basicAuth = new BasicAuth();

  public AccessControl(WebConfigSource source) {
    this.source = source;
  }

  public WebConfigSource source() {
    return source;
  }

  /**
   * @return true when the request may go on; false when a 401 was sent
   */
  public boolean admit(HttpExchange exchange) throws IOException {
    WebConfig config = source.current();
    config.headers().forEach(exchange.getResponseHeaders()::set);
    if (!config.basicAuth()
        || config.authExcludedPaths().contains(exchange.getRequestURI().getPath())
        || basicAuth.allows(
            config.users(), exchange.getRequestHeaders().getFirst("Authorization"))) {
      return true;
    }
    exchange.getResponseHeaders().set("WWW-Authenticate", "Basic");
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(401, -1);
      return false;
    }
    exchange.sendResponseHeaders(401, UNAUTHORIZED.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(UNAUTHORIZED);
    }
    return false;
  }
}

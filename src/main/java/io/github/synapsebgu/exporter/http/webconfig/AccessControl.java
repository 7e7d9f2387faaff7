package io.github.synapsebgu.exporter.http.webconfig;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Applies the web config to a request before it is routed: the configured response headers, the
 * current client-certificate policy (see {@link ReloadingTls#admits}), then basic auth. A refused
 * password gets 401 with {@code WWW-Authenticate: Basic}, like the toolkit; a client certificate no
 * longer accepted gets 403 and the connection is closed.
 */
public final class AccessControl {
  private static final byte[] UNAUTHORIZED = "Unauthorized\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] FORBIDDEN =
      "Forbidden: client certificate not accepted\n".getBytes(StandardCharsets.UTF_8);

  private final WebConfigSource source;
  private final ReloadingTls tls;
  private final BasicAuth basicAuth = new BasicAuth();

  /**
   * @param tls the listener's TLS, or null for plain HTTP
   */
  public AccessControl(WebConfigSource source, ReloadingTls tls) {
    this.source = source;
    this.tls = tls;
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
    if (tls != null
        && exchange instanceof HttpsExchange https
        && !tls.admits(https.getSSLSession())) {
      exchange.getResponseHeaders().set("Connection", "close");
      send(exchange, 403, FORBIDDEN);
      return false;
    }
    if (!config.basicAuth()
        || config.authExcludedPaths().contains(exchange.getRequestURI().getPath())
        || basicAuth.allows(
            config.users(), exchange.getRequestHeaders().getFirst("Authorization"))) {
      return true;
    }
    exchange.getResponseHeaders().set("WWW-Authenticate", "Basic");
    send(exchange, 401, UNAUTHORIZED);
    return false;
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}

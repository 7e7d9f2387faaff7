package io.github.synapsebgu.exporter.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.synapsebgu.exporter.config.FleetFileValidator;
import io.github.synapsebgu.exporter.homeserver.Homeserver;
import io.github.synapsebgu.exporter.http.Responses;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /probe?target=NAME}: that homeserver's metrics from its last poll, exactly as its own
 * {@code /metrics} would show them (cached bytes, any format, gzip). The target is a name of the
 * config file, never a URL, so a probe can only ever reach what the file lists (no SSRF); anything
 * else is a 400 with a one-line reason.
 */
public final class ProbeEndpoint implements HttpHandler {
  private final Supplier<Map<String, Homeserver>> homeservers;

  public ProbeEndpoint(Supplier<Map<String, Homeserver>> homeservers) {
    this.homeservers = homeservers;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null || query.isEmpty()) {
      refuse(exchange, "missing target: ask /probe?target=NAME, NAME as listed at /targets");
      return;
    }
    String target = null;
    for (String param : query.split("&", -1)) {
      int eq = param.indexOf('=');
      String key = eq < 0 ? param : param.substring(0, eq);
      if (!key.equals("target")) {
        refuse(exchange, "unknown parameter: /probe takes only target=NAME");
        return;
      }
      if (target != null) {
        refuse(exchange, "target given more than once");
        return;
      }
      target = decode(eq < 0 ? "" : param.substring(eq + 1));
    }
    if (target == null || target.isEmpty()) {
      refuse(exchange, "missing target: ask /probe?target=NAME, NAME as listed at /targets");
      return;
    }
    if (!FleetFileValidator.NAME.matcher(target).matches()) {
      // Not echoed: it is not a name, so it may be anything (a URL, markup, control characters).
      refuse(exchange, "invalid target: a homeserver's name from the config file, never a URL");
      return;
    }
    Homeserver h = homeservers.get().get(target);
    if (h == null) {
      refuse(exchange, "unknown target \"" + target + "\": not a homeserver of this exporter");
      return;
    }
    h.probeEndpoint().handle(exchange);
  }

  /** Malformed escapes give "%", which matches no name. */
  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "%";
    }
  }

  private static void refuse(HttpExchange exchange, String reason) throws IOException {
    Responses.text(exchange, 400, reason + "\n");
  }
}

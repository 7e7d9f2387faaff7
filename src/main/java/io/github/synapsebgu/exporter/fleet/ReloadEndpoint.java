package io.github.synapsebgu.exporter.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.synapsebgu.exporter.http.Responses;
import java.io.IOException;

/**
 * {@code POST /-/reload} (or PUT), as Prometheus: 403 unless {@code --web.enable-lifecycle}; 200
 * when the file was reloaded, 500 with the first problem when it was not (the running set stays).
 */
public final class ReloadEndpoint implements HttpHandler {
  private final ConfigReloader reloader;
  private final boolean enabled;

  public ReloadEndpoint(ConfigReloader reloader, boolean enabled) {
    this.reloader = reloader;
    this.enabled = enabled;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    // The body is never read: there is nothing in it for us.
    if (!enabled) {
      Responses.text(exchange, 403, "Lifecycle API is not enabled (--web.enable-lifecycle).\n");
      return;
    }
    ConfigReloader.Outcome outcome = reloader.reload("/-/reload");
    Responses.text(exchange, outcome.ok() ? 200 : 500, outcome.message() + "\n");
  }
}

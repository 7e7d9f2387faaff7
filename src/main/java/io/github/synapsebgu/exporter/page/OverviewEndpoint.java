package io.github.synapsebgu.exporter.page;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.function.Supplier;

/** {@code /api/v1/overview}: the status page's data as JSON, read-only (GET and HEAD). */
final class OverviewEndpoint implements HttpHandler {
  static final String PATH = "/api/v1/overview";

  private final Supplier<Overview> overview;

  OverviewEndpoint(Supplier<Overview> overview) {
    this.overview = overview;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    StatusPage.send(exchange, "application/json", OverviewJson.write(overview.get()));
  }
}

package io.github.synapsebgu.exporter.page;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The page's script or stylesheet, read once from the jar. */
final class Asset implements HttpHandler {
  private final byte[] body;
  private final String type;

  private Asset(byte[] body, String type) {
    this.body = body;
    this.type = type;
  }

  static Asset load(String name, String type) {
    try (InputStream in = Asset.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing from the jar: " + name);
      }
      return new Asset(in.readAllBytes(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    StatusPage.send(exchange, type, body);
  }
}

package io.github.synapsebgu.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The page at {@code /}: what this is, what it watches, where the metrics are. */
public final class LandingPage implements HttpHandler {
  private final byte[] html;

  public LandingPage(String version, String upstream, String telemetryPath) {
    String path = escape(telemetryPath);
    this.html =
        ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Synapse background updates exporter</title></head>\n<body>\n"
                + "<h1>Synapse background updates exporter</h1>\n"
                + "<p>Version "
                + escape(version)
                + ", watching <code>"
                + escape(upstream)
                + "</code>.</p>\n<ul>\n<li><a href=\""
                + path
                + "\">"
                + path
                + "</a></li>\n<li><a href=\"/-/healthy\">/-/healthy</a></li>\n"
                + "<li><a href=\"/-/ready\">/-/ready</a></li>\n</ul>\n</body></html>\n")
            .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Responses.send(exchange, 200, "text/html; charset=utf-8", html);
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}

package io.github.synapsebgu.exporter.page;

import static java.util.stream.Collectors.toSet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.synapsebgu.exporter.homeserver.Homeserver;
import io.github.synapsebgu.exporter.http.Responses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * The status page at {@code /}: one homeserver's view, or with several the fleet table and, at
 * {@code /?homeserver=NAME}, each one's own view (names only from the configured set; any other is
 * 404). Built from the snapshots the homeservers hold, never by calling Synapse; served with a
 * strict Content-Security-Policy so that even a name that escaped escaping could run nothing.
 */
public final class StatusPage implements HttpHandler {
  /** Our own script and stylesheet only; nothing inline, nothing from elsewhere. */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src"
          + " 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Supplier<? extends Collection<Homeserver>> homeservers;
  private final Clock clock;
  private final Layout layout;
  private final QueueHighWater highWater = new QueueHighWater();
  private final Views views = new Views(highWater);

  private StatusPage(
      Supplier<? extends Collection<Homeserver>> homeservers, Clock clock, Layout layout) {
    this.homeservers = homeservers;
    this.clock = clock;
    this.layout = layout;
  }

  /**
   * The page, its JSON twin, its script and stylesheet, by path: for a listener's routes.
   *
   * @param homeservers the configured homeservers now, in the configured order (read on every
   *     request, so a reload shows at once)
   */
  public static Map<String, HttpHandler> routes(
      Supplier<? extends Collection<Homeserver>> homeservers,
      Clock clock,
      String version,
      String telemetryPath) {
    StatusPage page = new StatusPage(homeservers, clock, new Layout(version, telemetryPath));
    Map<String, HttpHandler> routes = new LinkedHashMap<>();
    routes.put("/", page);
    routes.put(OverviewEndpoint.PATH, new OverviewEndpoint(page::overview));
    routes.put(Layout.SCRIPT_PATH, Asset.load("status-page.js", "text/javascript; charset=utf-8"));
    routes.put(Layout.STYLE_PATH, Asset.load("status-page.css", "text/css; charset=utf-8"));
    return routes;
  }

  /** Every configured homeserver; what it keeps of the others (no longer configured) is dropped. */
  Overview overview() {
    Overview o = Overview.of(homeservers.get(), views, clock.millis());
    Set<String> names = o.homeservers().stream().map(HomeserverView::name).collect(toSet());
    views.retain(names);
    highWater.retain(names);
    return o;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Optional<String> wanted;
    try {
      wanted = homeserverParameter(exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException e) {
      Responses.text(exchange, 400, "Bad query string: not URL-encoded\n");
      return;
    }
    Collection<Homeserver> all = homeservers.get();
    String html;
    if (wanted.isPresent()) {
      Optional<Homeserver> one =
          all.stream().filter(h -> h.name().equals(wanted.get())).findFirst();
      if (one.isEmpty()) {
        Responses.text(exchange, 404, "No such homeserver\n");
        return;
      }
      html = single(one.get(), all.size() > 1);
    } else if (all.size() == 1) {
      html = single(all.iterator().next(), false);
    } else {
      Overview o = overview();
      html =
          layout.page(
              "Synapse background updates",
              o.refreshSeconds(),
              "",
              FleetView.CONTROLS,
              h -> FleetView.render(h, o),
              FleetView.expectedSize(o));
    }
    send(exchange, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  private String single(Homeserver h, boolean inFleet) {
    Overview o = Overview.of(List.of(h), views, clock.millis());
    HomeserverView v = o.homeservers().get(0);
    Html sub = new Html(256);
    if (inFleet) {
      sub.raw("<a href=\"/\">All homeservers</a> · ");
    }
    sub.raw("Homeserver <code>")
        .text(h.name())
        .raw("</code>, watching <code>")
        .text(h.displayUrl())
        .raw("</code>");
    return layout.page(
        "Background updates: " + h.name(),
        o.refreshSeconds(),
        sub.toString(),
        "",
        page -> SingleView.render(page, v, o.generatedEpochMillis()));
  }

  /** The value of {@code homeserver=} in a raw query string, decoded; other parameters ignored. */
  static Optional<String> homeserverParameter(String rawQuery) {
    if (rawQuery == null) {
      return Optional.empty();
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.startsWith("homeserver=")) {
        return Optional.of(
            URLDecoder.decode(pair.substring("homeserver=".length()), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  /** With the page's security headers: every response of these routes carries them. */
  static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Security-Policy", CSP);
    headers.set("Cache-Control", "no-store");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    headers.set("Vary", "Accept-Encoding");
    if (body.length >= GZIP_FROM_BYTES && acceptsGzip(exchange)) {
      // A fleet's table is megabytes of repeated markup: a tenth of it on the wire, for a phone.
      ByteArrayOutputStream packed = new ByteArrayOutputStream(body.length / 8);
      try (GZIPOutputStream gz = new GZIPOutputStream(packed, 64 * 1024)) {
        gz.write(body);
      }
      headers.set("Content-Encoding", "gzip");
      body = packed.toByteArray();
    }
    Responses.send(exchange, 200, type, body);
  }

  /** Below this, compressing costs more than it saves. */
  static final int GZIP_FROM_BYTES = 16 * 1024;

  private static boolean acceptsGzip(HttpExchange exchange) {
    for (String value : exchange.getRequestHeaders().getOrDefault("Accept-Encoding", List.of())) {
      for (String coding : value.split(",")) {
        String[] parts = coding.split(";");
        if (parts[0].trim().equalsIgnoreCase("gzip")
            && !(parts.length > 1 && parts[1].replace(" ", "").equals("q=0"))) {
          return true;
        }
      }
    }
    return false;
  }
}

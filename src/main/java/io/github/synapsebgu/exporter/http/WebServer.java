package io.github.synapsebgu.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.github.synapsebgu.exporter.http.webconfig.AccessControl;
import io.github.synapsebgu.exporter.http.webconfig.ReloadingTls;
import io.github.synapsebgu.exporter.http.webconfig.WebConfigSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A small HTTP server on the JDK's built-in server: exact-path routing, GET/HEAD only by default,
 * optional TLS and basic auth from an exporter-toolkit web config, and a bounded worker pool with
 * request and response deadlines (see {@link ExchangeExecutor}) so slow or idle clients cannot
 * starve scrapes.
 */
public final class WebServer implements AutoCloseable {
  static {
    // The JDK reads its server settings once, when the first server is created.
    HttpServerDefaults.apply();
  }

  private final HttpServer server;
  private final ExchangeExecutor workers;
  private final boolean tls;

  private WebServer(HttpServer server, ExchangeExecutor workers, boolean tls) {
    this.server = server;
    this.workers = workers;
    this.tls = tls;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The bound address (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Whether this listener speaks HTTPS. */
  public boolean tls() {
    return tls;
  }

  /** Exchanges closed so far because they missed the request or response deadline. */
  public long timedOutExchanges() {
    return workers.timedOut();
  }

  /** Connections closed at once so far because every worker and queue slot was taken. */
  public long rejectedConnections() {
    return workers.rejected();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdown();
  }

  /**
   * Writes the answer to an unrouted path (404) or a method the route does not take (405, the Allow
   * header already set): plain text by default, JSON on the admin API.
   */
  @FunctionalInterface
  public interface Refusal {
    void send(HttpExchange exchange, int status) throws IOException;
  }

  private static void plainRefusal(HttpExchange exchange, int status) throws IOException {
    Responses.text(exchange, status, status == 404 ? "Not Found\n" : "Method Not Allowed\n");
  }

  public static final class Builder {
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private Refusal refusal = WebServer::plainRefusal;
    private InetSocketAddress address;
    // Scrapes are short and CPU-bound, so more workers than cores do not add throughput; they add
    // headroom for slow clients, each of which can hold one until its deadline.
    private int threads = 32;
    private int queue = 256;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration responseTimeout = Duration.ofSeconds(30);
    private WebConfigSource webConfig = WebConfigSource.none();
    private String name = "http";

    public Builder address(InetSocketAddress address) {
      this.address = address;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /**
     * Requests that may wait for a worker; beyond this, new connections are closed (default 256).
     * Only tests change it: they need a queue a few slow clients can fill.
     */
    public Builder queue(int queue) {
      this.queue = queue;
      return this;
    }

    /**
     * How long a client has, from its first byte, to finish the TLS handshake and send the request
     * line, headers and body (default 10s).
     */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    /** How long a handler and the client reading its response may take (default 30s). */
    public Builder responseTimeout(Duration responseTimeout) {
      this.responseTimeout = responseTimeout;
      return this;
    }

    /**
     * TLS, basic auth and extra headers from an exporter-toolkit web config file (default: none).
     * Whether the listener is HTTPS is decided here from the current config.
     */
    public Builder webConfig(WebConfigSource webConfig) {
      this.webConfig = Objects.requireNonNull(webConfig, "webConfig");
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder refusal(Refusal refusal) {
      this.refusal = refusal;
      return this;
    }

    /** Routes an exact path; GET and HEAD only. */
    public Builder route(String path, HttpHandler handler) {
      return route(path, Set.of("GET", "HEAD"), handler);
    }

    /**
     * Routes each exact path of {@code handlers} (a feature's several paths); GET and HEAD only.
     */
    public Builder routes(Map<String, ? extends HttpHandler> handlers) {
      handlers.forEach(this::route);
      return this;
    }

    /** Routes an exact path for the given methods; others get 405 with an Allow header. */
    public Builder route(String path, Set<String> methods, HttpHandler handler) {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with /: " + path);
      }
      if (methods.isEmpty()) {
        throw new IllegalArgumentException("no method for " + path);
      }
      if (routes.putIfAbsent(path, new Route(Set.copyOf(methods), handler)) != null) {
        throw new IllegalArgumentException("path routed twice: " + path);
      }
      return this;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException when the address cannot be bound (in use, not local)
     */
    public WebServer start() throws IOException {
      if (address == null) {
        throw new IllegalStateException("address not set");
      }
      Map<String, Route> table = Map.copyOf(routes);
      Refusal refuse = refusal;
      ReloadingTls tls = webConfig.tls() ? new ReloadingTls(webConfig) : null;
      AccessControl access = new AccessControl(webConfig, tls);
      ExchangeExecutor pool =
          new ExchangeExecutor(name, threads, queue, requestTimeout, responseTimeout);
      HttpServer server;
      try {
        if (tls != null) {
          HttpsServer https = HttpsServer.create(address, 128);
          https.setHttpsConfigurator(tls.configurator());
          server = https;
        } else {
          server = HttpServer.create(address, 128);
        }
      } catch (IOException | RuntimeException e) {
        pool.shutdown();
        throw e;
      }
      server.createContext("/", exchange -> dispatch(table, access, refuse, exchange));
      server.setExecutor(pool);
      server.start();
      return new WebServer(server, pool, webConfig.tls());
    }

    private static void dispatch(
        Map<String, Route> table, AccessControl access, Refusal refuse, HttpExchange exchange)
        throws IOException {
      ExchangeExecutor.handlerStarted();
      RequestBodyWatch body = RequestBodyWatch.install(exchange);
      if (body.declared()) {
        // Handlers answer without reading a body they do not take (401, 404, a GET with one):
        // the JDK then closes the connection instead of waiting for the rest of it (see
        // HttpServerDefaults), so the client is told not to send another request on it.
        exchange.getResponseHeaders().set("Connection", "close");
      }
      try {
        route(table, access, refuse, exchange);
      } finally {
        // Whatever closing still reads of an unread body counts against the request deadline.
        ExchangeExecutor.readingRequest(!body.complete());
        exchange.close();
      }
    }

    private static void route(
        Map<String, Route> table, AccessControl access, Refusal refuse, HttpExchange exchange)
        throws IOException {
      if (!access.admit(exchange)) {
        return;
      }
      Route route = table.get(exchange.getRequestURI().getPath());
      if (route == null) {
        refuse.send(exchange, 404);
        return;
      }
      if (!route.methods().contains(exchange.getRequestMethod())) {
        exchange
            .getResponseHeaders()
            .set("Allow", String.join(", ", new TreeSet<>(route.methods())));
        refuse.send(exchange, 405);
        return;
      }
      route.handler().handle(exchange);
    }
  }

  private record Route(Set<String> methods, HttpHandler handler) {}
}

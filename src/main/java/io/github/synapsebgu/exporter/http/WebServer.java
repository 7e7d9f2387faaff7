package io.github.synapsebgu.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP server on the JDK's built-in server: exact-path routing, GET/HEAD only, a bounded
 * worker pool (so a flood of scrapes queues instead of creating threads without limit).
 */
public final class WebServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService workers;

  private WebServer(HttpServer server, ExecutorService workers) {
    this.server = server;
    this.workers = workers;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The bound address (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }

  public static final class Builder {
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private InetSocketAddress address;
    private int threads = 4;
    private String name = "http";

    public Builder address(InetSocketAddress address) {
      this.address = address;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Routes an exact path; GET and HEAD only. */
    public Builder route(String path, HttpHandler handler) {
      return route(path, Set.of("GET", "HEAD"), handler);
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
      AtomicInteger count = new AtomicInteger();
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              threads,
              threads,
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, name + "-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      pool.allowCoreThreadTimeOut(true);
      HttpServerDefaults.apply();
      HttpServer server = HttpServer.create(address, 128);
      server.createContext("/", exchange -> dispatch(table, exchange));
      server.setExecutor(pool);
      server.start();
      return new WebServer(server, pool);
    }

    private static void dispatch(Map<String, Route> table, HttpExchange exchange)
        throws IOException {
      try (exchange) {
        Route route = table.get(exchange.getRequestURI().getPath());
        if (route == null) {
          Responses.text(exchange, 404, "Not Found\n");
          return;
        }
        if (!route.methods().contains(exchange.getRequestMethod())) {
          exchange
              .getResponseHeaders()
              .set("Allow", String.join(", ", new TreeSet<>(route.methods())));
          Responses.text(exchange, 405, "Method Not Allowed\n");
          return;
        }
        route.handler().handle(exchange);
      }
    }
  }

  private record Route(Set<String> methods, HttpHandler handler) {}
}

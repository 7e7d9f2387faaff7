package io.github.synapsebgu.exporter.admin;

import com.sun.net.httpserver.HttpExchange;
import io.github.synapsebgu.exporter.config.AdminConfig;
import io.github.synapsebgu.exporter.config.PromDuration;
import io.github.synapsebgu.exporter.homeserver.Homeserver;
import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.http.webconfig.WebConfigSource;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional admin API, on a listener of its own so that exposing /metrics never exposes control:
 * status, pause/resume (optionally timed) and Synapse's jobs, behind a bearer token.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  private final WebServer web;
  private final AdminTarget single; // single-homeserver mode
  private final FleetAdmin fleet; // fleet mode

  private AdminServer(WebServer web, AdminTarget single, FleetAdmin fleet) {
    this.web = web;
    this.single = single;
    this.fleet = fleet;
  }

  /**
   * Registers the admin metrics on {@code homeserver}'s /metrics, listens, and re-pauses through
   * its poller's listener when a timed pause is undone by a Synapse restart.
   *
   * @param homeserver the one the API acts on; its request timeout bounds how long a request waits
   *     for the poll after a change
   * @throws IllegalStateException naming --admin.listen-address when it cannot be bound
   */
  public static AdminServer start(AdminConfig config, Homeserver homeserver, Clock clock)
      throws IOException {
    AuditLog audit = new AuditLog(clock);
    AdminTarget target =
        new AdminTarget(
            "/api/v1", homeserver, new BearerAuth(config.token()), audit, config.maxPause(), clock);
    List<Endpoint> endpoints = target.endpoints();
    WebServer.Builder builder =
        builder(config)
            .refusal(
                (exchange, status) ->
                    refuse(endpoints, target.metrics(), audit, exchange, status, SINGLE_PATHS));
    for (Endpoint e : endpoints) {
      builder.route(e.path(), Set.of(e.method()), e);
    }
    WebServer web = listen(config, builder, target::close);
    target.attach();
    started(config, web);
    return new AdminServer(web, target, null);
  }

  /**
   * Fleet mode: the same API per homeserver under {@code /api/v1/homeservers/NAME/}; {@link #added}
   * and {@link #removed} follow the fleet's reloads.
   *
   * @param homeservers the fleet's homeservers now, by name
   */
  public static AdminServer startFleet(
      AdminConfig config, Supplier<Map<String, Homeserver>> homeservers, Clock clock)
      throws IOException {
    AuditLog audit = new AuditLog(clock);
    FleetAdmin fleet =
        new FleetAdmin(
            new BearerAuth(config.token()), audit, config.maxPause(), clock, homeservers);
    WebServer web = listen(config, builder(config).refusal(fleet::serve), fleet::close);
    started(config, web);
    return new AdminServer(web, null, fleet);
  }

  /** Fleet mode: a homeserver started (at startup or by a reload). */
  public void added(Homeserver homeserver) {
    fleet.add(homeserver);
  }

  /** Fleet mode: a homeserver is being closed; its timed pause ends with it. */
  public void removed(Homeserver homeserver) {
    fleet.remove(homeserver);
  }

  static final String SINGLE_PATHS =
      "the admin API has /api/v1/status, /api/v1/enabled and /api/v1/jobs";

  private static WebServer.Builder builder(AdminConfig config) {
    return WebServer.builder()
        .address(config.listenAddress().toSocketAddress())
        .name("admin")
        .threads(2)
        .webConfig(config.webConfig().orElseGet(WebConfigSource::none));
  }

  private static WebServer listen(AdminConfig config, WebServer.Builder builder, Runnable undo)
      throws IOException {
    try {
      return builder.start();
    } catch (BindException e) {
      undo.run();
      throw new IllegalStateException(
          "--admin.listen-address: cannot listen on "
              + config.listenAddress()
              + ": "
              + e.getMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      undo.run();
      throw e;
    }
  }

  private static void started(AdminConfig config, WebServer web) {
    InetSocketAddress bound = web.address();
    log.atInfo()
        .addKeyValue("address", config.listenAddress())
        .addKeyValue("port", bound.getPort())
        .addKeyValue("max_pause", PromDuration.format(config.maxPause()))
        .log("Admin API listening");
    if (bound.getAddress() == null || !bound.getAddress().isLoopbackAddress()) {
      log.warn(
          "The admin API listens beyond loopback and speaks plain HTTP: put it behind a firewall"
              + " and a TLS proxy, or the admin token can be sniffed");
    }
    if (config.token().current().reveal().length() < 16) {
      log.warn("The admin API token is short (under 16 characters); use e.g. openssl rand -hex 32");
    }
  }

  /** 404 and 405 in the API's JSON shape, audited and counted like every other request. */
  static void refuse(
      List<Endpoint> endpoints,
      AdminMetrics metrics,
      AuditLog audit,
      HttpExchange exchange,
      int status,
      String paths)
      throws IOException {
    long start = System.nanoTime();
    String path = exchange.getRequestURI().getPath();
    Endpoint endpoint =
        endpoints.stream().filter(e -> e.path().equals(path)).findFirst().orElse(null);
    Reply reply =
        status == 404
            ? Reply.error(404, Outcome.BAD_REQUEST, "no such endpoint", paths)
            : Reply.error(
                405,
                Outcome.BAD_REQUEST,
                "method not allowed",
                "use " + exchange.getResponseHeaders().getFirst("Allow"));
    Endpoint.send(exchange, reply);
    if (endpoint != null && metrics != null) {
      metrics.count(endpoint.initialAction(), Outcome.BAD_REQUEST);
    }
    // An unknown path is the client's text: logged as such, never echoed into the log.
    audit.record(
        endpoint == null ? "none" : endpoint.initialAction().label(),
        Outcome.BAD_REQUEST,
        status,
        exchange.getRemoteAddress(),
        exchange.getRequestMethod(),
        endpoint == null ? "(unknown)" : path,
        Map.of(),
        start);
  }

  public InetSocketAddress address() {
    return web.address();
  }

  @Override
  public void close() {
    web.close();
    if (single != null) {
      single.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }
}

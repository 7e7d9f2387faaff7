package io.github.synapsebgu.exporter.admin;

import com.sun.net.httpserver.HttpExchange;
import io.github.synapsebgu.exporter.config.AdminConfig;
import io.github.synapsebgu.exporter.config.PromDuration;
import io.github.synapsebgu.exporter.homeserver.Homeserver;
import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.http.webconfig.WebConfigSource;
import io.github.synapsebgu.exporter.poll.Poller;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional admin API, on a listener of its own so that exposing /metrics never exposes control:
 * status, pause/resume (optionally timed) and Synapse's jobs, behind a bearer token.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  private final WebServer web;
  private final TimedPause pause;
  private final AdminMetrics metrics;
  private final PrometheusRegistry registry;

  private AdminServer(
      WebServer web, TimedPause pause, AdminMetrics metrics, PrometheusRegistry registry) {
    this.web = web;
    this.pause = pause;
    this.metrics = metrics;
    this.registry = registry;
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
    SynapseClient client = homeserver.client();
    Poller poller = homeserver.poller();
    PrometheusRegistry registry = homeserver.perScrape();
    Duration synapseTimeout = homeserver.config().timeout();
    Duration staleAfter = homeserver.config().staleAfter();
    Runnable pollSoon =
        () -> {
          try {
            poller.pollNow();
          } catch (RejectedExecutionException e) {
            // shutting down
          }
        };
    TimedPause pause =
        new TimedPause(client, clock, synapseTimeout, TimedPause.RESUME_RETRY, pollSoon);
    AdminMetrics metrics = new AdminMetrics(() -> pause.active().map(TimedPause.Active::resumeAt));
    BearerAuth auth = new BearerAuth(config.token());
    Runnable pollAndWait = () -> pollAndWait(poller, synapseTimeout.plusSeconds(1));
    List<Endpoint> endpoints =
        List.of(
            new StatusEndpoint(auth, metrics, poller, pause, clock, staleAfter),
            new EnabledEndpoint(auth, metrics, pause, config.maxPause(), pollAndWait),
            new JobsEndpoint(auth, metrics, client, pollAndWait));
    WebServer.Builder builder =
        WebServer.builder()
            .address(config.listenAddress().toSocketAddress())
            .name("admin")
            .threads(2)
            .webConfig(config.webConfig().orElseGet(WebConfigSource::none))
            .refusal((exchange, status) -> refuse(endpoints, metrics, exchange, status));
    for (Endpoint e : endpoints) {
      builder.route(e.path(), Set.of(e.method()), e);
    }
    WebServer web;
    try {
      web = builder.start();
    } catch (BindException e) {
      pause.close();
      throw new IllegalStateException(
          "--admin.listen-address: cannot listen on "
              + config.listenAddress()
              + ": "
              + e.getMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      pause.close();
      throw e;
    }
    registry.register(metrics);
    poller.addListener(pause::onSnapshot);
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
    return new AdminServer(web, pause, metrics, registry);
  }

  /** After a change, so /metrics shows it as soon as the client has its answer. */
  private static void pollAndWait(Poller poller, Duration wait) {
    try {
      poller.pollNow().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      log.atDebug().setCause(e).log("Poll after an admin change did not finish in time");
    }
  }

  /** 404 and 405 in the API's JSON shape, audited and counted like every other request. */
  private static void refuse(
      List<Endpoint> endpoints, AdminMetrics metrics, HttpExchange exchange, int status)
      throws IOException {
    long start = System.nanoTime();
    String path = exchange.getRequestURI().getPath();
    Endpoint endpoint =
        endpoints.stream().filter(e -> e.path().equals(path)).findFirst().orElse(null);
    Reply reply =
        status == 404
            ? Reply.error(
                404,
                Outcome.BAD_REQUEST,
                "no such endpoint",
                "the admin API has /api/v1/status, /api/v1/enabled and /api/v1/jobs")
            : Reply.error(
                405,
                Outcome.BAD_REQUEST,
                "method not allowed",
                "use " + exchange.getResponseHeaders().getFirst("Allow"));
    Endpoint.send(exchange, reply);
    if (endpoint != null) {
      metrics.count(endpoint.initialAction(), Outcome.BAD_REQUEST);
    }
    // An unknown path is the client's text: logged as such, never echoed into the log.
    AuditLog.record(
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
    pause.close();
    registry.unregister(metrics);
  }
}

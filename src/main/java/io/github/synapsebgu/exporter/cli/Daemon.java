package io.github.synapsebgu.exporter.cli;

import io.github.synapsebgu.exporter.admin.AdminServer;
import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.config.ExporterConfig;
import io.github.synapsebgu.exporter.config.HomeserverConfig;
import io.github.synapsebgu.exporter.config.ServerConfig;
import io.github.synapsebgu.exporter.config.SynapseConfig;
import io.github.synapsebgu.exporter.demo.DemoHomeserver;
import io.github.synapsebgu.exporter.fleet.Fleet;
import io.github.synapsebgu.exporter.homeserver.Homeserver;
import io.github.synapsebgu.exporter.homeserver.SharedResources;
import io.github.synapsebgu.exporter.http.HttpServerDefaults;
import io.github.synapsebgu.exporter.http.LandingPage;
import io.github.synapsebgu.exporter.http.Responses;
import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.http.webconfig.WebConfigSource;
import io.github.synapsebgu.exporter.metrics.BuildInfoCollector;
import io.github.synapsebgu.exporter.metrics.JvmRuntimeMetrics;
import io.github.synapsebgu.exporter.metrics.SampledCollector;
import io.github.synapsebgu.exporter.poll.Poller;
import io.github.synapsebgu.exporter.secrets.Redactor;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running exporter: what the process has once (listeners, admin API, JVM metrics, and the
 * {@link SharedResources}: poll threads, request deadline timer, HTTP clients) around one {@link
 * Homeserver} per configured homeserver, started in order and closed in reverse.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  /** How often the JVM and process metrics are collected at most; scrapes in between share one. */
  static final Duration JVM_METRICS_PERIOD = Duration.ofSeconds(1);

  private final List<AutoCloseable> resources = new ArrayList<>();
  // Immutable maps, swapped whole, so that a reload can replace the homeservers while scrapes run.
  private final AtomicReference<Map<String, Homeserver>> homeservers =
      new AtomicReference<>(Map.of());
  private final String served;
  private final WebServer web;
  private AdminServer admin;
  private Fleet fleet; // fleet mode only
  private boolean demoLogged;

  private Daemon(ExporterConfig config, Clock clock, BuildInfo build) throws IOException {
    ServerConfig server = config.server();
    served = config.fleet().isPresent() ? null : config.homeserver().name();
    HttpServerDefaults.apply(); // before the demo homeserver, the first JDK server in demo mode
    try {
      // Threads, deadline timer and HTTP clients shared by every homeserver, and closed last:
      // after everything that polls or calls out. First polls at once, also in a fleet: its
      // /-/ready waits for every homeserver's first poll (merge of fleet-core and fleet-scale:
      // spreading them, fleet-scale's PollSpread, is for the two to settle).
      SharedResources shared = SharedResources.create(build.userAgent(), false);
      resources.add(shared);
      // Upstream text is redacted of every secret the process holds, the admin token included.
      Redactor adminSecret =
          server.admin().map(a -> Redactor.of(a.token())).orElseGet(Redactor::of);
      if (config.fleet().isPresent()) {
        FleetWiring.Started f =
            FleetWiring.start(
                config.server(),
                config.fleet().get(),
                clock,
                build,
                shared.scheduler(),
                h -> new Homeserver(located(h, server), clock, shared, adminSecret),
                resources::add);
        web = f.web();
        fleet = f.fleet();
        admin = f.admin();
        listening(server, build);
        return;
      }
      Map<String, Homeserver> started = new LinkedHashMap<>();
      BuildInfoCollector buildInfo = new BuildInfoCollector(build);
      for (HomeserverConfig h : config.homeservers()) {
        Homeserver homeserver = new Homeserver(located(h, server), clock, shared, adminSecret);
        resources.add(homeserver);
        homeserver.register(buildInfo);
        started.put(h.name(), homeserver);
      }
      homeservers.set(Collections.unmodifiableMap(started)); // in the configured order
      Homeserver main = homeserver();

      web =
          WebServer.builder()
              .address(server.listenAddress().toSocketAddress())
              .name("web")
              .webConfig(server.webConfig().orElseGet(WebConfigSource::none))
              .route(
                  "/", new LandingPage(build.version(), main.displayUrl(), server.telemetryPath()))
              .route(server.telemetryPath(), ex -> homeserver().metricsEndpoint().handle(ex))
              .route("/-/healthy", ex -> Responses.text(ex, 200, "Healthy\n"))
              .route(
                  "/-/ready",
                  ex -> {
                    boolean ready = homeserver().ready();
                    Responses.text(
                        ex,
                        ready ? 200 : 503,
                        ready ? "Ready\n" : "Not ready: first poll running\n");
                  })
              .start();
      resources.add(web);
      if (server.admin().isPresent()) {
        admin = AdminServer.start(server.admin().get(), main, clock);
        resources.add(admin);
      }
      homeservers.get().values().forEach(Homeserver::start);
      // After the listener is up and while the first poll runs on its own thread: registering the
      // JVM metrics takes ~100 ms of class loading; a scrape in that moment just lacks jvm_*. They
      // are collected at most once a second (see SampledCollector).
      if (!server.disableExporterMetrics()) {
        PrometheusRegistry source = new PrometheusRegistry();
        JvmRuntimeMetrics.register(source);
        SampledCollector sampled = new SampledCollector(source, JVM_METRICS_PERIOD);
        homeservers.get().values().forEach(h -> h.register(sampled));
      }
      listening(server, build);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void listening(ServerConfig server, BuildInfo build) {
    log.atInfo()
        .addKeyValue("address", server.listenAddress())
        .addKeyValue("port", web.address().getPort())
        .addKeyValue("tls", web.tls())
        .addKeyValue("version", build.version())
        .log("Listening");
  }

  /**
   * The homeserver's config with its URL and token: as configured, or the built-in demo
   * homeserver's, started here since its address is known only once it runs.
   */
  private HomeserverConfig located(HomeserverConfig h, ServerConfig server) throws IOException {
    if (server.demo()) {
      DemoHomeserver demo = DemoHomeserver.start();
      resources.add(demo);
      if (!demoLogged) { // once, not once per simulated homeserver of --demo.homeservers
        demoLogged = true;
        log.atWarn()
            .addKeyValue("url", demo.url())
            .log("DEMO MODE: polling a built-in simulated homeserver; all data is simulated");
      }
      return h.at(
          new SynapseHttpSettings(demo.url(), h.timeout(), Optional.empty(), false),
          TokenSource.fixed(demo.token(), "(demo)"));
    }
    if (h.synapse().orElseThrow().insecureSkipVerify()) {
      log.atWarn().addKeyValue("homeserver", h.name()).log(SynapseConfig.INSECURE_TLS_WARNING);
    }
    return h;
  }

  /**
   * Starts everything.
   *
   * @throws IOException when the listen address cannot be bound
   */
  public static Daemon start(ExporterConfig config, Clock clock, BuildInfo build)
      throws IOException {
    return new Daemon(config, clock, build);
  }

  /**
   * The homeservers now, by name (an immutable snapshot; in fleet mode a reload swaps in another).
   */
  public Map<String, Homeserver> homeservers() {
    return fleet != null ? fleet.homeservers() : homeservers.get();
  }

  /** The homeserver whose metrics the metrics listener serves; null in fleet mode. */
  public Homeserver homeserver() {
    return homeservers.get().get(served);
  }

  /** The poller of {@link #homeserver()}. */
  public Poller poller() {
    return homeserver().poller();
  }

  public InetSocketAddress address() {
    return web.address();
  }

  /** Where the admin API listens; empty unless --admin.enabled. */
  public Optional<InetSocketAddress> adminAddress() {
    return Optional.ofNullable(admin).map(AdminServer::address);
  }

  @Override
  public void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log.atDebug().setCause(e).log("Error while closing");
      }
    }
    resources.clear();
  }
}

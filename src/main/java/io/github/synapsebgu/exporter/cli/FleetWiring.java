package io.github.synapsebgu.exporter.cli;

import io.github.synapsebgu.exporter.admin.AdminServer;
import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.config.FleetSettings;
import io.github.synapsebgu.exporter.config.ServerConfig;
import io.github.synapsebgu.exporter.fleet.ConfigReloader;
import io.github.synapsebgu.exporter.fleet.Fleet;
import io.github.synapsebgu.exporter.fleet.FleetMetrics;
import io.github.synapsebgu.exporter.fleet.ProbeEndpoint;
import io.github.synapsebgu.exporter.fleet.ReloadEndpoint;
import io.github.synapsebgu.exporter.fleet.TargetsEndpoint;
import io.github.synapsebgu.exporter.homeserver.Homeserver;
import io.github.synapsebgu.exporter.http.LandingPage;
import io.github.synapsebgu.exporter.http.Responses;
import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.http.webconfig.WebConfigSource;
import io.github.synapsebgu.exporter.metrics.BuildInfoCollector;
import io.github.synapsebgu.exporter.metrics.JvmRuntimeMetrics;
import io.github.synapsebgu.exporter.metrics.SampledCollector;
import io.github.synapsebgu.exporter.poll.PollScheduler;
import io.github.synapsebgu.exporter.scrape.PerPollRegistry;
import io.github.synapsebgu.exporter.scrape.ScrapeEndpoint;
import io.github.synapsebgu.exporter.signal.Hangup;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Fleet mode's part of the daemon: the homeservers of the file (or of --demo.homeservers) in a
 * {@link Fleet}, each served at /probe?target=NAME, listed at /targets, reloaded by {@link
 * ConfigReloader}; /metrics holds only the exporter's own metrics; the admin API per homeserver.
 */
final class FleetWiring {
  private FleetWiring() {}

  record Started(WebServer web, Fleet fleet, AdminServer admin) {}

  /**
   * @param factory the daemon's {@code new Homeserver(...)}
   * @param resources where each started part goes, closed by the daemon in reverse order
   */
  static Started start(
      ServerConfig server,
      FleetSettings settings,
      Clock clock,
      BuildInfo build,
      PollScheduler scheduler,
      Fleet.Factory factory,
      Consumer<AutoCloseable> resources)
      throws IOException {
    Fleet f = new Fleet(factory);
    resources.accept(f);
    PrometheusRegistry own = new PrometheusRegistry();
    FleetMetrics metrics = new FleetMetrics(own, () -> f.homeservers().size());
    f.watch(metrics);
    AdminServer admin = null;
    if (server.admin().isPresent()) {
      AdminServer a = AdminServer.startFleet(server.admin().get(), f::homeservers, clock);
      admin = a;
      resources.accept(a);
      f.watch(
          new Fleet.Watcher() {
            @Override
            public void started(Homeserver h) {
              a.added(h);
            }

            @Override
            public void closing(Homeserver h) {
              a.removed(h);
            }
          });
    }
    f.apply(settings.initial());
    metrics.reloaded(true, clock.millis());
    PerPollRegistry perPoll = new PerPollRegistry();
    perPoll.register(new BuildInfoCollector(build));
    ScrapeEndpoint ownMetrics = new ScrapeEndpoint(PrometheusProperties.get(), perPoll, own);
    ConfigReloader reloader =
        settings.file().isPresent() ? new ConfigReloader(settings, f, metrics, clock) : null;
    Readiness ready = new Readiness(f);
    WebServer.Builder builder =
        WebServer.builder()
            .address(server.listenAddress().toSocketAddress())
            .name("web")
            .webConfig(server.webConfig().orElseGet(WebConfigSource::none))
            .route(
                "/",
                new LandingPage(
                    build.version(),
                    f.homeservers().size()
                        + " homeservers from "
                        + settings.file().map(Object::toString).orElse("--demo.homeservers"),
                    server.telemetryPath()))
            .route(server.telemetryPath(), ownMetrics)
            .route("/probe", new ProbeEndpoint(f::homeservers))
            .route("/targets", new TargetsEndpoint(f::members))
            .route("/-/healthy", ex -> Responses.text(ex, 200, "Healthy\n"))
            .route(
                "/-/ready",
                ex -> {
                  boolean ok = ready.ready();
                  Responses.text(
                      ex,
                      ok ? 200 : 503,
                      ok ? "Ready\n" : "Not ready: first polls of the homeservers running\n");
                });
    if (reloader != null) {
      builder.route(
          "/-/reload",
          Set.of("POST", "PUT"),
          new ReloadEndpoint(reloader, settings.enableLifecycle()));
    }
    WebServer web = builder.start();
    resources.accept(web);
    if (reloader != null) {
      resources.accept(reloader);
      reloader.watch(scheduler);
      Hangup.onHangup(() -> reloader.reload("SIGHUP"));
    }
    // After the listener is up, as in single mode: a scrape in that moment just lacks jvm_*.
    if (!server.disableExporterMetrics()) {
      PrometheusRegistry source = new PrometheusRegistry();
      JvmRuntimeMetrics.register(source);
      perPoll.register(new SampledCollector(source, Daemon.JVM_METRICS_PERIOD));
    }
    return new Started(web, f, admin);
  }

  /**
   * Ready once every homeserver has been polled once (successfully or not). Once ready, a reload
   * that adds homeservers does not take the exporter out of service.
   */
  private static final class Readiness {
    private final Fleet fleet;
    private volatile boolean ready;

    Readiness(Fleet fleet) {
      this.fleet = fleet;
    }

    boolean ready() {
      if (ready) {
        return true;
      }
      for (Homeserver h : fleet.homeservers().values()) {
        if (!h.ready()) {
          return false;
        }
      }
      ready = true;
      return true;
    }
  }
}

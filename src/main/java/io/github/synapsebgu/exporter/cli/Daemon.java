package io.github.synapsebgu.exporter.cli;

import io.github.synapsebgu.exporter.admin.AdminServer;
import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.config.ExporterConfig;
import io.github.synapsebgu.exporter.demo.DemoHomeserver;
import io.github.synapsebgu.exporter.http.HttpServerDefaults;
import io.github.synapsebgu.exporter.http.LandingPage;
import io.github.synapsebgu.exporter.http.Responses;
import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.http.webconfig.WebConfigSource;
import io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector;
import io.github.synapsebgu.exporter.metrics.BuildInfoCollector;
import io.github.synapsebgu.exporter.metrics.JvmRuntimeMetrics;
import io.github.synapsebgu.exporter.metrics.PollHealthCollector;
import io.github.synapsebgu.exporter.metrics.SampledCollector;
import io.github.synapsebgu.exporter.poll.Poller;
import io.github.synapsebgu.exporter.scrape.ScrapeEndpoint;
import io.github.synapsebgu.exporter.secrets.Redactor;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running exporter: poller, collectors and web server, started in order and closed in reverse.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  /** How often the JVM and process metrics are collected at most; scrapes in between share one. */
  static final Duration JVM_METRICS_PERIOD = Duration.ofSeconds(1);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Poller poller;
  private final PrometheusRegistry registry;
  private final SynapseClient client;
  private final WebServer web;
  private AdminServer admin;

  private Daemon(ExporterConfig config, Clock clock, BuildInfo build) throws IOException {
    HttpServerDefaults.apply(); // before the demo homeserver, the first JDK server in demo mode
    try {
      SynapseHttpSettings settings;
      TokenSource token;
      if (config.demo()) {
        DemoHomeserver demo = DemoHomeserver.start();
        resources.add(demo);
        settings =
            new SynapseHttpSettings(demo.url(), config.synapseTimeout(), Optional.empty(), false);
        token = TokenSource.fixed(demo.token(), "(demo)");
        log.atWarn()
            .addKeyValue("url", demo.url())
            .log("DEMO MODE: polling a built-in simulated homeserver; all data is simulated");
      } else {
        settings = config.synapse().orElseThrow();
        token = config.token().orElseThrow();
        if (settings.insecureSkipVerify()) {
          log.warn(
              "--synapse.tls.insecure-skip-verify is set: Synapse's certificate is not verified, so the"
                  + " admin token can be intercepted");
        }
      }
      // Upstream text is redacted of every secret the process holds, the admin token included.
      Redactor redactor = Redactor.of(token);
      if (config.admin().isPresent()) {
        redactor = redactor.and(config.admin().get().token());
      }
      client = new SynapseClient(settings, token, build.userAgent(), redactor);
      resources.add(client);

      poller = new Poller(client::fetchStatus, clock, config.pollInterval());
      resources.add(poller);

      // Metrics that change only with a poll (and the JVM's, sampled once a second) are written
      // once per poll or sample (see ScrapeEndpoint); `registry` holds those collected on every
      // scrape.
      PrometheusRegistry perPoll = new PrometheusRegistry();
      var updates = new BackgroundUpdatesCollector(poller::snapshot, clock, config.staleAfter());
      var health = new PollHealthCollector(poller::snapshot);
      perPoll.register(updates);
      perPoll.register(health);
      perPoll.register(new BuildInfoCollector(build));
      registry = new PrometheusRegistry();
      AtomicReference<SampledCollector> jvm = new AtomicReference<>();

      web =
          WebServer.builder()
              .address(config.listenAddress().toSocketAddress())
              .name("web")
              .webConfig(config.webConfig().orElseGet(WebConfigSource::none))
              .route(
                  "/",
                  new LandingPage(build.version(), settings.displayUrl(), config.telemetryPath()))
              .route(
                  config.telemetryPath(),
                  new ScrapeEndpoint(
                      PrometheusProperties.get(),
                      perPoll,
                      () -> List.of(updates.cacheKey(), health.cacheKey(), jvmCacheKey(jvm)),
                      registry))
              .route("/-/healthy", ex -> Responses.text(ex, 200, "Healthy\n"))
              .route(
                  "/-/ready",
                  ex -> {
                    boolean ready = poller.snapshot().firstPollDone();
                    Responses.text(
                        ex,
                        ready ? 200 : 503,
                        ready ? "Ready\n" : "Not ready: first poll running\n");
                  })
              .start();
      resources.add(web);
      if (config.admin().isPresent()) {
        admin =
            AdminServer.start(
                config.admin().get(),
                client,
                poller,
                registry,
                clock,
                config.synapseTimeout(),
                config.staleAfter());
        resources.add(admin);
      }
      poller.start();
      // After the listener is up and while the first poll runs on its own thread: registering the
      // JVM metrics takes ~100 ms of class loading; a scrape in that moment just lacks jvm_*. They
      // are collected at most once a second (see SampledCollector).
      if (!config.disableExporterMetrics()) {
        PrometheusRegistry source = new PrometheusRegistry();
        JvmRuntimeMetrics.register(source);
        SampledCollector sampled = new SampledCollector(source, JVM_METRICS_PERIOD);
        // Registered before its key is published: a scrape in between writes it under the old key,
        // which only makes the next scrape write it again.
        perPoll.register(sampled);
        jvm.set(sampled);
      }
      log.atInfo()
          .addKeyValue("address", config.listenAddress())
          .addKeyValue("port", web.address().getPort())
          .addKeyValue("tls", web.tls())
          .addKeyValue("version", build.version())
          .log("Listening");
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private static Object jvmCacheKey(AtomicReference<SampledCollector> jvm) {
    SampledCollector sampled = jvm.get();
    return sampled == null ? "no JVM metrics" : sampled.cacheKey();
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

  /** Metrics collected on every scrape (the admin API's); add per-scrape collectors here. */
  public PrometheusRegistry registry() {
    return registry;
  }

  public SynapseClient client() {
    return client;
  }

  public Poller poller() {
    return poller;
  }

  public java.net.InetSocketAddress address() {
    return web.address();
  }

  /** Where the admin API listens; empty unless --admin.enabled. */
  public Optional<java.net.InetSocketAddress> adminAddress() {
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

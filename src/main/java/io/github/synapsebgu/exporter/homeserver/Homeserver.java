package io.github.synapsebgu.exporter.homeserver;

import com.sun.net.httpserver.HttpHandler;
import io.github.synapsebgu.exporter.config.HomeserverConfig;
import io.github.synapsebgu.exporter.metrics.BackgroundUpdatesCollector;
import io.github.synapsebgu.exporter.metrics.PollHealthCollector;
import io.github.synapsebgu.exporter.poll.PollScheduler;
import io.github.synapsebgu.exporter.poll.PollSpread;
import io.github.synapsebgu.exporter.poll.Poller;
import io.github.synapsebgu.exporter.poll.SourcePoller;
import io.github.synapsebgu.exporter.poll.StatusTracker;
import io.github.synapsebgu.exporter.scrape.PerPollCollector;
import io.github.synapsebgu.exporter.scrape.PerPollRegistry;
import io.github.synapsebgu.exporter.scrape.ScrapeEndpoint;
import io.github.synapsebgu.exporter.secrets.Redactor;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.source.database.DatabaseSnapshot;
import io.github.synapsebgu.exporter.source.metrics.SynapseMetrics;
import io.github.synapsebgu.exporter.synapse.RequestDeadlines;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the exporter keeps for one homeserver: its client, its poller, the collectors of its
 * metrics and the /metrics endpoint that serves them. Built stopped; {@link #start()} starts
 * polling. What the process has once (listeners, admin API, JVM metrics) stays in the daemon.
 */
public final class Homeserver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Homeserver.class);

  private final HomeserverConfig config;
  private final SynapseClient client;
  private final Poller poller;
  private final PerPollRegistry perPoll = new PerPollRegistry();
  private final PrometheusRegistry perScrape = new PrometheusRegistry();
  private final ScrapeEndpoint scrape;
  private final OptionalSources sources;
  private final boolean spreadPolls;

  /**
   * @param config with its URL and token known (for the demo homeserver: {@link
   *     HomeserverConfig#at} once it runs)
   * @param scheduler runs its polls, shared with the other homeservers
   * @param deadlines cancels its requests at their deadline, shared too
   * @throws IllegalArgumentException when the URL or token is missing, or the CA file is unusable
   */
  public Homeserver(
      HomeserverConfig config,
      Clock clock,
      String userAgent,
      PollScheduler scheduler,
      RequestDeadlines deadlines) {
    this(config, clock, userAgent, scheduler, deadlines, Redactor.of());
  }

  /**
   * @param otherSecrets the process's secrets besides this homeserver's token (the admin token):
   *     what Synapse or a proxy echoes back is redacted of them too before it reaches a log or an
   *     API answer
   */
  public Homeserver(
      HomeserverConfig config,
      Clock clock,
      String userAgent,
      PollScheduler scheduler,
      RequestDeadlines deadlines,
      Redactor otherSecrets) {
    this(
        config,
        clock,
        userAgent,
        scheduler,
        (settings, token, redactor) ->
            new SynapseClient(settings, token, userAgent, deadlines, redactor),
        otherSecrets,
        false);
  }

  /**
   * What the daemon builds for each homeserver: on the process's {@link SharedResources} (threads,
   * deadline timer, HTTP clients), so that a homeserver costs no thread and no connection pool.
   *
   * @param otherSecrets as above
   * @throws IllegalArgumentException when the URL or token is missing, or the CA file is unusable
   */
  public Homeserver(
      HomeserverConfig config, Clock clock, SharedResources shared, Redactor otherSecrets) {
    this(
        config,
        clock,
        shared.userAgent(),
        shared.scheduler(),
        (settings, token, redactor) ->
            new SynapseClient(settings, token, shared.http(), shared.deadlines(), redactor),
        otherSecrets,
        shared.spreadPolls());
  }

  /** How a homeserver gets its client: its own HTTP client, or the shared one. */
  @FunctionalInterface
  private interface ClientFactory {
    SynapseClient create(SynapseHttpSettings settings, TokenSource token, Redactor redactor);
  }

  private Homeserver(
      HomeserverConfig config,
      Clock clock,
      String userAgent,
      PollScheduler scheduler,
      ClientFactory clients,
      Redactor otherSecrets,
      boolean spreadPolls) {
    this.config = config;
    this.spreadPolls = spreadPolls;
    SynapseHttpSettings settings =
        config
            .synapse()
            .orElseThrow(
                () -> new IllegalArgumentException("homeserver " + config.name() + ": no URL"));
    TokenSource token =
        config
            .token()
            .orElseThrow(
                () -> new IllegalArgumentException("homeserver " + config.name() + ": no token"));
    this.client = clients.create(settings, token, otherSecrets.and(token));
    try {
      // Asynchronous: a poll waiting on Synapse holds no thread (see PollScheduler).
      this.poller =
          new Poller(
              StatusTracker.async(client::fetchStatusAsync),
              clock,
              config.pollInterval(),
              scheduler);
    } catch (RuntimeException e) {
      closeQuietly(client);
      throw e;
    }
    // Metrics that change only with a poll are written once per poll (see ScrapeEndpoint);
    // perScrape holds those collected on every scrape (the admin API's).
    perPoll.register(new BackgroundUpdatesCollector(poller::snapshot, clock, config.staleAfter()));
    perPoll.register(new PollHealthCollector(poller::snapshot));
    try {
      this.sources =
          new OptionalSources(config, clock, userAgent, scheduler, poller::snapshot, perPoll);
    } catch (RuntimeException e) {
      closeQuietly(poller);
      closeQuietly(client);
      throw e;
    }
    this.scrape = new ScrapeEndpoint(PrometheusProperties.get(), perPoll, perScrape);
  }

  public String name() {
    return config.name();
  }

  public HomeserverConfig config() {
    return config;
  }

  public SynapseClient client() {
    return client;
  }

  public Poller poller() {
    return poller;
  }

  /** The base URL without credentials: safe to show. */
  public String displayUrl() {
    return client.settings().displayUrl();
  }

  /** Synapse's metrics endpoint, polled on its own: present when configured. */
  public Optional<SourcePoller<SynapseMetrics>> metricsSource() {
    return sources.metrics();
  }

  /** Synapse's databases, polled together on their own: present when configured. */
  public Optional<SourcePoller<List<DatabaseSnapshot>>> databaseSource() {
    return sources.databases();
  }

  /** Ready once the first poll has finished, successfully or not: {@code /-/ready}. */
  public boolean ready() {
    return poller.snapshot().firstPollDone();
  }

  /** Adds a collector whose output only changes with its key (build info, JVM metrics). */
  public void register(PerPollCollector collector) {
    perPoll.register(collector);
  }

  /** Collected on every scrape of this homeserver's /metrics (the admin API's counters). */
  public PrometheusRegistry perScrape() {
    return perScrape;
  }

  /** Its /metrics. */
  public HttpHandler metricsEndpoint() {
    return scrape;
  }

  /**
   * Its metrics for fleet mode's {@code /probe?target=NAME}: the query is the probe's, not ours.
   */
  public HttpHandler probeEndpoint() {
    return scrape.ignoringQuery();
  }

  /**
   * The first poll now (or, for a fleet, at this homeserver's stable offset in the interval: {@link
   * #firstPollDelay()}), then one every poll interval.
   */
  public void start() {
    Duration first = firstPollDelay();
    poller.start(first);
    sources.start(first);
  }

  /** When its first poll falls after {@link #start()}: 0, or its spread offset in a fleet. */
  public Duration firstPollDelay() {
    return spreadPolls ? PollSpread.offset(config.name(), config.pollInterval()) : Duration.ZERO;
  }

  @Override
  public void close() {
    closeQuietly(sources);
    closeQuietly(poller);
    closeQuietly(client);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.atDebug().setCause(e).log("Error while closing");
    }
  }
}

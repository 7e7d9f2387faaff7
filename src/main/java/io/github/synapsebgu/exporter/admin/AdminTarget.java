package io.github.synapsebgu.exporter.admin;

import io.github.synapsebgu.exporter.homeserver.Homeserver;
import io.github.synapsebgu.exporter.poll.Poller;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API of one homeserver: its status, enabled and jobs endpoints under {@code base}, its
 * timed pause and its counters (on the homeserver's own metrics). One in single-homeserver mode
 * under {@code /api/v1}; in fleet mode one per homeserver under {@code /api/v1/homeservers/NAME},
 * living as long as its {@link Homeserver} (a reload that keeps it keeps its timed pause).
 */
final class AdminTarget implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminTarget.class);

  private final Homeserver homeserver;
  private final TimedPause pause;
  private final AdminMetrics metrics;
  private final List<Endpoint> endpoints;

  AdminTarget(
      String base,
      Homeserver homeserver,
      BearerAuth auth,
      AuditLog audit,
      Duration maxPause,
      Clock clock) {
    this.homeserver = homeserver;
    SynapseClient client = homeserver.client();
    Poller poller = homeserver.poller();
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
    this.pause = new TimedPause(client, clock, synapseTimeout, TimedPause.RESUME_RETRY, pollSoon);
    this.metrics =
        new AdminMetrics(() -> pause.active().map(TimedPause.Active::resumeAt), pause.events());
    Runnable pollAndWait = () -> pollAndWait(poller, synapseTimeout.plusSeconds(1));
    this.endpoints =
        List.of(
            new StatusEndpoint(base, auth, metrics, audit, poller, pause, clock, staleAfter),
            new EnabledEndpoint(base, auth, metrics, audit, pause, maxPause, pollAndWait),
            new JobsEndpoint(base, auth, metrics, audit, client, pollAndWait));
  }

  List<Endpoint> endpoints() {
    return endpoints;
  }

  AdminMetrics metrics() {
    return metrics;
  }

  /** Shows its counters on the homeserver's metrics and re-pauses after a Synapse restart. */
  void attach() {
    homeserver.perScrape().register(metrics);
    homeserver.poller().addListener(pause::onSnapshot);
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

  @Override
  public void close() {
    pause.close();
    homeserver.perScrape().unregister(metrics);
  }
}

package io.github.synapsebgu.exporter.fleet;

import io.github.synapsebgu.exporter.homeserver.Homeserver;
import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.synapse.FailureReason;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.IntSupplier;

/**
 * Fleet mode's {@code /metrics}: the exporter's own figures summed over its homeservers, never a
 * series per homeserver (those are at {@code /probe}). Counted as polls land, so the sums stay
 * monotonic when a reload removes a homeserver.
 */
public final class FleetMetrics implements Fleet.Watcher {
  /** From a fast loopback answer to a timeout: the default --synapse.timeout is 10s. */
  private static final double[] POLL_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  private final Counter polls;
  private final Counter errors;
  private final Histogram duration;
  private final Gauge reloadOk;
  private final Gauge reloadTimestamp;

  public FleetMetrics(PrometheusRegistry registry, IntSupplier homeservers) {
    GaugeWithCallback.builder()
        .name("synapse_bgu_exporter_homeservers")
        .help("Homeservers this exporter polls: those of its --config.file in its --fleet.shard.")
        .callback(cb -> cb.call(homeservers.getAsInt()))
        .register(registry);
    polls =
        Counter.builder()
            .name("synapse_bgu_exporter_polls_total")
            .help("Polls of the homeservers' admin API made, successful or not, summed.")
            .register(registry);
    errors =
        Counter.builder()
            .name("synapse_bgu_exporter_poll_errors_total")
            .help("Failed polls of the homeservers' admin API by reason, summed.")
            .labelNames("reason")
            .register(registry);
    for (FailureReason r : FailureReason.values()) {
      errors.initLabelValues(r.label());
    }
    duration =
        Histogram.builder()
            .name("synapse_bgu_exporter_poll_duration_seconds")
            .unit(Unit.SECONDS)
            .help("How long polls of the homeservers' admin API took, successful or not.")
            .classicOnly()
            .classicUpperBounds(POLL_BUCKETS)
            .register(registry);
    reloadOk =
        Gauge.builder()
            .name("synapse_bgu_exporter_config_last_reload_successful")
            .help("Whether the last reload of --config.file succeeded (1) or not (0).")
            .register(registry);
    reloadTimestamp =
        Gauge.builder()
            .name("synapse_bgu_exporter_config_last_reload_success_timestamp_seconds")
            .unit(Unit.SECONDS)
            .help("Unix time of the last successful load of --config.file.")
            .register(registry);
  }

  /** A poll of one homeserver landed. */
  void observe(PollSnapshot s) {
    polls.inc();
    if (!s.up()) {
      s.lastFailure().ifPresent(f -> errors.labelValues(f.reason().label()).inc());
    }
    duration.observe(s.lastPollDurationSeconds());
  }

  /** A load of the file (at startup or a reload) ended. */
  public void reloaded(boolean ok, long epochMillis) {
    reloadOk.set(ok ? 1 : 0);
    if (ok) {
      reloadTimestamp.set(epochMillis / 1000.0);
    }
  }

  @Override
  public void started(Homeserver homeserver) {
    homeserver.poller().addListener(this::observe);
  }

  @Override
  public void closing(Homeserver homeserver) {
    // Its poller stops with it: no more snapshots, so nothing to undo.
  }
}

package io.github.synapsebgu.exporter.admin;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * The admin API's metrics: requests by action and outcome (every pair exported from the start at 0,
 * so {@code increase()} and alerts work from the first request), and the end of the active timed
 * pause.
 */
final class AdminMetrics implements MultiCollector {
  private static final Action[] ACTIONS = Action.values();
  private static final Outcome[] OUTCOMES = Outcome.values();

  private final AtomicLongArray requests = new AtomicLongArray(ACTIONS.length * OUTCOMES.length);
  private final Supplier<Optional<Instant>> pauseExpiry;
  private final PauseEvents pauseEvents;

  AdminMetrics(Supplier<Optional<Instant>> pauseExpiry, PauseEvents pauseEvents) {
    this.pauseExpiry = pauseExpiry;
    this.pauseEvents = pauseEvents;
  }

  void count(Action action, Outcome outcome) {
    requests.incrementAndGet(action.ordinal() * OUTCOMES.length + outcome.ordinal());
  }

  @Override
  public MetricSnapshots collect() {
    var counter =
        CounterSnapshot.builder()
            .name("synapse_background_updates_admin_requests")
            .help(
                "Requests to the exporter's admin API by action (status, enable, disable, start_job)"
                    + " and outcome (ok, unauthorized, bad_request, upstream_error).");
    for (Action a : ACTIONS) {
      for (Outcome o : OUTCOMES) {
        counter.dataPoint(
            CounterDataPointSnapshot.builder()
                .labels(Labels.of("action", a.label(), "outcome", o.label()))
                .value(requests.get(a.ordinal() * OUTCOMES.length + o.ordinal()))
                .build());
      }
    }
    var expiry =
        GaugeSnapshot.builder()
            .name("synapse_background_updates_pause_expiry_timestamp_seconds")
            .unit(Unit.SECONDS)
            .help(
                "Unix time at which the exporter resumes background updates paused through its admin"
                    + " API with a duration; absent when no timed pause is active.");
    pauseExpiry
        .get()
        .ifPresent(
            at ->
                expiry.dataPoint(
                    GaugeDataPointSnapshot.builder().value(at.toEpochMilli() / 1000.0).build()));
    var events =
        CounterSnapshot.builder()
            .name("synapse_background_updates_timed_pause_events")
            .help(
                "Timed pauses resumed at their end (expired), ended because updates were resumed"
                    + " outside the exporter (resumed_outside), or applied again after a Synapse"
                    + " restart (repaused).");
    for (PauseEvents.Event e : PauseEvents.Event.values()) {
      events.dataPoint(
          CounterDataPointSnapshot.builder()
              .labels(Labels.of("event", e.label()))
              .value(pauseEvents.get(e))
              .build());
    }
    return new MetricSnapshots(counter.build(), expiry.build(), events.build());
  }
}

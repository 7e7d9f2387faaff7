package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.source.Reason;
import io.github.synapsebgu.exporter.source.SourceException;
import io.github.synapsebgu.exporter.source.database.DatabaseSourceException;
import io.github.synapsebgu.exporter.source.metrics.MetricsSourceException;
import io.github.synapsebgu.exporter.source.metrics.UpdaterState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code wait}'s exact answers from the optional sources: an updater that aborted (exit 5 at once),
 * every {@code background_updates} table empty (done at once, no settling), or, without a database,
 * every updater {@code complete}. A source that fails decides nothing that poll: the admin API's
 * rules apply.
 */
public final class SourceVerdict {
  private final Map<String, Reason> failing = new HashMap<>();
  private int queueLeft = -1;
  private int queueMost;
  private Optional<String> abortedDatabase = Optional.empty();
  private boolean fromDatabase;

  /** Adds events for what changed; returns the outcome decided, or null for none. */
  WaitTracker.Outcome observe(SourceReading r, List<WaitEvent> events) {
    failed(r.metricsFailure(), events);
    failed(r.databaseFailure(), events);
    if (r.metrics().isPresent()) {
      failing.remove(MetricsSourceException.SOURCE);
    }
    if (r.databases().isPresent()) {
      failing.remove(DatabaseSourceException.SOURCE);
    }
    if (r.databases().isPresent()) {
      int left = r.databases().get().stream().mapToInt(d -> d.queue().size()).sum();
      queueMost = Math.max(queueMost, left);
      if (left != queueLeft) {
        events.add(new WaitEvent.Queue(left, queueMost));
        queueLeft = left;
      }
    }
    if (r.metrics().isPresent()) {
      Map<String, UpdaterState> states = r.metrics().get().updaterStates();
      abortedDatabase =
          new TreeSet<>(states.keySet())
              .stream().filter(db -> states.get(db) == UpdaterState.ABORTED).findFirst();
      if (abortedDatabase.isPresent()) {
        return WaitTracker.Outcome.ABORTED;
      }
    }
    if (r.databases().isPresent()) {
      if (queueLeft == 0) {
        fromDatabase = true;
        return WaitTracker.Outcome.DRAINED;
      }
      return null; // the tables are the exact answer: the updater state adds nothing
    }
    if (r.metrics().isPresent()
        && !r.metrics().get().updaterStates().isEmpty()
        && r.metrics().get().updaterStates().values().stream()
            .allMatch(s -> s == UpdaterState.COMPLETE)) {
      return WaitTracker.Outcome.DRAINED;
    }
    return null;
  }

  /**
   * Whether, read without a database, Synapse's updater says work is left on some database ({@code
   * not_started} or {@code running}): then empty admin API polls must not settle.
   */
  static boolean updaterStillWorking(SourceReading r) {
    return r.databases().isEmpty()
        && r.metrics().isPresent()
        && r.metrics().get().updaterStates().values().stream()
            .anyMatch(s -> s == UpdaterState.RUNNING || s == UpdaterState.NOT_STARTED);
  }

  private void failed(Optional<SourceException> failure, List<WaitEvent> events) {
    if (failure.isEmpty()) {
      return;
    }
    SourceException e = failure.get();
    if (!e.reason().equals(failing.put(e.source(), e.reason()))) {
      events.add(new WaitEvent.SourceFailed(e.source(), e.reason().label(), e.getMessage()));
    }
  }

  /** The database whose updater aborted, once one has. */
  public Optional<String> abortedDatabase() {
    return abortedDatabase;
  }

  /** Whether {@code DRAINED} came from the tables (else from the updater state). */
  public boolean drainedByTables() {
    return fromDatabase;
  }

  /** The most rows seen in the tables while waiting. */
  public int queueMost() {
    return queueMost;
  }

  /** Rows left at the last good read of the tables; -1 before one. */
  public int queueLeft() {
    return queueLeft;
  }
}

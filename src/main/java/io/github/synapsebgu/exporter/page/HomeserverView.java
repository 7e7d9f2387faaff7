package io.github.synapsebgu.exporter.page;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the page shows of one homeserver, as of one moment: every number is a value of its /metrics
 * (see {@link Views}), plus the reason of the last failure and its hint. Immutable.
 *
 * @param enabled empty before the first successful poll, or once its data is stale
 * @param pauseUntilEpochSeconds the end of a timed pause made through the admin API
 * @param lastSuccessEpochSeconds 0 before the first success
 * @param failures of the admin API and of each optional source whose last poll failed
 * @param sources the optional sources' health, {@code source} to up
 */
public record HomeserverView(
    String name,
    FleetState state,
    boolean firstPollDone,
    boolean up,
    Optional<Boolean> enabled,
    OptionalDouble pauseUntilEpochSeconds,
    double lastSuccessEpochSeconds,
    double lastPollDurationSeconds,
    List<Failure> failures,
    List<SourceHealth> sources,
    List<DatabaseView> databases) {

  public HomeserverView {
    failures = List.copyOf(failures);
    sources = List.copyOf(sources);
    databases = List.copyOf(databases);
  }

  /** The update running first (by database name), for the fleet row. */
  public Optional<Running> current() {
    return databases.stream().flatMap(d -> d.running().stream()).findFirst();
  }

  /** The longest estimated time left of the running updates, where one is known. */
  public OptionalDouble timeLeftSeconds() {
    return databases.stream()
        .flatMap(d -> d.running().stream())
        .filter(r -> r.estimatedRemainingSeconds().isPresent())
        .mapToDouble(r -> r.estimatedRemainingSeconds().getAsDouble())
        .max();
  }

  /** Rows of the background_updates tables together, where the database source says. */
  public OptionalLong pending() {
    if (databases.stream().noneMatch(d -> d.pending().isPresent())) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(databases.stream().mapToLong(d -> d.pending().orElse(0)).sum());
  }

  /**
   * A poll that failed: the source, the {@code reason} label, the README's hint for it, and when.
   */
  public record Failure(String source, String reason, String hint, long epochMillis) {}

  public record SourceHealth(String source, boolean up) {}

  /**
   * One database of the homeserver.
   *
   * @param updaterState the {@code state} label whose value is 1, from Synapse's metrics endpoint
   * @param pending rows of its background_updates table, from the database source
   * @param doneSinceFirstSeen updates of its queue finished since the page first saw it (a queue
   *     seen at 10 now at 4: 6), for the queue's progress bar
   */
  public record DatabaseView(
      String name,
      Optional<String> updaterState,
      Optional<Running> running,
      OptionalLong pending,
      OptionalLong doneSinceFirstSeen,
      OptionalLong schemaVersion,
      List<Queued> queue,
      List<IndexProgress> indexBuilds) {
    public DatabaseView {
      queue = List.copyOf(queue);
      indexBuilds = List.copyOf(indexBuilds);
    }
  }

  /**
   * The update running on a database.
   *
   * @param lastProgressEpochSeconds when the exporter last saw its item count grow
   * @param itemsRemaining from its progress_json, where it says
   * @param estimatedRemainingSeconds items remaining / rate, where both are known
   */
  public record Running(
      String database,
      String update,
      double items,
      OptionalDouble itemsPerSecond,
      double durationSeconds,
      double lastProgressEpochSeconds,
      OptionalDouble itemsRemaining,
      OptionalDouble estimatedRemainingSeconds) {}

  /** A row of the queue, in run order. */
  public record Queued(
      long position,
      String update,
      long ordering,
      Optional<String> dependsOn,
      OptionalDouble itemsRemaining) {}

  /** An index build of the update at the head of a database's queue. */
  public record IndexProgress(
      String update,
      String index,
      String table,
      String phase,
      OptionalDouble blocksDone,
      OptionalDouble blocksExpected,
      OptionalDouble tuplesDone,
      OptionalDouble tuplesExpected) {}
}

package io.github.synapsebgu.exporter.poll;

import io.github.synapsebgu.exporter.synapse.FailureReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a scrape needs, as of the last finished poll. Immutable: the poller builds a new one
 * and swaps it in atomically, so a scrape never waits for, nor sees half of, a poll.
 *
 * @param enabled from the last successful poll; empty before the first success
 * @param updates from the last successful poll, sorted by database
 * @param lastSuccessEpochMillis 0 before the first success
 * @param lastFailure empty after a successful poll
 * @param errorCounts every reason, from zero
 */
public record PollSnapshot(
    boolean firstPollDone,
    boolean up,
    Optional<Boolean> enabled,
    List<TrackedUpdate> updates,
    long lastSuccessEpochMillis,
    double lastPollDurationSeconds,
    Optional<PollFailure> lastFailure,
    long pollsTotal,
    Map<FailureReason, Long> errorCounts) {

  public PollSnapshot {
    updates = List.copyOf(updates);
    EnumMap<FailureReason, Long> counts = new EnumMap<>(FailureReason.class);
    for (FailureReason r : FailureReason.values()) {
      counts.put(r, errorCounts.getOrDefault(r, 0L));
    }
    errorCounts = Collections.unmodifiableMap(counts);
  }

  /** Before the first poll has finished. */
  public static PollSnapshot initial() {
    return new PollSnapshot(
        false, false, Optional.empty(), List.of(), 0, 0, Optional.empty(), 0, Map.of());
  }

  /**
   * Whether the update data is too old to show: polls have failed for longer than {@code
   * staleAfterMillis} since the last success. Decided at scrape time so the data disappears on time
   * whatever the poll interval.
   */
  public boolean dataIsStale(long nowMillis, long staleAfterMillis) {
    return lastSuccessEpochMillis == 0
        || (!up && nowMillis - lastSuccessEpochMillis > staleAfterMillis);
  }

  /** A poll that failed: when and why, for the admin API's status and logs. */
  public record PollFailure(FailureReason reason, String message, long epochMillis) {}
}

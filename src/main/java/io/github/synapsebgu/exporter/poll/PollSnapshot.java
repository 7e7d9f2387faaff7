package io.github.synapsebgu.exporter.poll;

import io.github.synapsebgu.exporter.source.Reason;
import io.github.synapsebgu.exporter.synapse.FailureReason;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 * @param errorCounts by reason; the poller counts every reason of its source from zero
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
    Map<Reason, Long> errorCounts) {

  public PollSnapshot {
    updates = List.copyOf(updates);
    errorCounts = Collections.unmodifiableMap(new LinkedHashMap<>(errorCounts));
  }

  /** Before the first poll of the admin API has finished. */
  public static PollSnapshot initial() {
    return initial(List.of(FailureReason.values()));
  }

  /** Before the first poll has finished, each of {@code reasons} counted at zero. */
  public static PollSnapshot initial(List<? extends Reason> reasons) {
    Map<Reason, Long> counts = new LinkedHashMap<>();
    reasons.forEach(r -> counts.put(r, 0L));
    return new PollSnapshot(
        false, false, Optional.empty(), List.of(), 0, 0, Optional.empty(), 0, counts);
  }

  /** What the last successful poll left. */
  public StatusData data() {
    return new StatusData(enabled, updates);
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

  /**
   * A poll that failed: which source, when and why, for the admin API's status and logs.
   *
   * @param source e.g. {@code admin_api}
   */
  public record PollFailure(String source, Reason reason, String message, long epochMillis) {}
}

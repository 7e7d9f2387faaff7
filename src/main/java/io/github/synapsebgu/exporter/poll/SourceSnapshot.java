package io.github.synapsebgu.exporter.poll;

import io.github.synapsebgu.exporter.source.Reason;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One optional source of a homeserver (its metrics endpoint, its database) as of its last finished
 * poll. Immutable and swapped atomically, like {@link PollSnapshot}.
 *
 * @param source the source's name, the {@code source} label ({@code database}, ...)
 * @param data what the last successful poll read; empty before the first success
 * @param lastSuccessEpochMillis 0 before the first success
 * @param lastFailure empty after a successful poll
 * @param errorCounts by reason, every reason of the source counted from zero
 * @param <T> what the source reads
 */
public record SourceSnapshot<T>(
    String source,
    boolean firstPollDone,
    boolean up,
    Optional<T> data,
    long lastSuccessEpochMillis,
    Optional<PollSnapshot.PollFailure> lastFailure,
    Map<Reason, Long> errorCounts) {

  public SourceSnapshot {
    errorCounts = Collections.unmodifiableMap(new LinkedHashMap<>(errorCounts));
  }

  /** Before the first poll of {@code source} has finished. */
  public static <T> SourceSnapshot<T> initial(String source, List<? extends Reason> reasons) {
    Map<Reason, Long> counts = new LinkedHashMap<>();
    reasons.forEach(r -> counts.put(r, 0L));
    return new SourceSnapshot<>(
        source, false, false, Optional.empty(), 0, Optional.empty(), counts);
  }

  /**
   * The data to show now: empty before the first success and once polls have failed for longer than
   * {@code staleAfterMillis} since the last one (decided at scrape time, as for the admin API).
   */
  public Optional<T> freshData(long nowMillis, long staleAfterMillis) {
    if (lastSuccessEpochMillis == 0
        || (!up && nowMillis - lastSuccessEpochMillis > staleAfterMillis)) {
      return Optional.empty();
    }
    return data;
  }
}

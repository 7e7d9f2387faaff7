package io.github.synapsebgu.exporter.poll;

import io.github.synapsebgu.exporter.source.Reason;
import io.github.synapsebgu.exporter.source.SourceException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * One source of a homeserver as the {@link Poller} sees it: something to ask once per poll, and
 * what to keep from its answers. The poller does the rest (schedule, overlap, counts, logs).
 */
public interface Tracker {
  /** The source's name, carried by its failures: {@code admin_api} for today's only source. */
  String source();

  /** Every reason its polls can fail with; each is counted from zero. */
  List<? extends Reason> reasons();

  /**
   * Asks the source once and folds the answer into what the last successful poll kept.
   *
   * @throws SourceException classified, with one of {@link #reasons()}
   */
  StatusData poll(StatusData last, long nowMillis) throws SourceException;

  /**
   * Whether asking blocks the thread until the source answers (then the poller runs it on workers
   * made on demand); a tracker whose {@link #pollAsync} returns at once says false.
   */
  default boolean blocks() {
    return true;
  }

  /**
   * Asks the source without waiting for it: completes with what {@link #poll} would return, or
   * exceptionally with its {@link SourceException}; cancelling it abandons the question. The
   * default asks through {@link #poll} on the calling thread.
   *
   * @param nowMillis the time, read when the answer is there
   */
  default CompletableFuture<StatusData> pollAsync(StatusData last, LongSupplier nowMillis) {
    try {
      return CompletableFuture.completedFuture(poll(last, nowMillis.getAsLong()));
    } catch (SourceException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}

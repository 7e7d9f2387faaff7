package io.github.synapsebgu.exporter.poll;

import io.github.synapsebgu.exporter.source.Reason;
import io.github.synapsebgu.exporter.source.SourceException;
import java.util.List;

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
}

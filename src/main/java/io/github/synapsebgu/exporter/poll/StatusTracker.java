package io.github.synapsebgu.exporter.poll;

import io.github.synapsebgu.exporter.synapse.FailureReason;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API's background-updates status, tracked across polls: per database the update running
 * and when its item count last grew (see {@link TrackedUpdate}).
 */
public final class StatusTracker implements Tracker {
  private static final List<FailureReason> REASONS = List.of(FailureReason.values());

  /**
   * What the tracker asks; {@link io.github.synapsebgu.exporter.synapse.SynapseClient} in
   * production.
   */
  @FunctionalInterface
  public interface StatusSource {
    StatusResponse fetchStatus() throws SynapseException;
  }

  private final StatusSource source;

  public StatusTracker(StatusSource source) {
    this.source = source;
  }

  @Override
  public String source() {
    return SynapseException.SOURCE;
  }

  @Override
  public List<FailureReason> reasons() {
    return REASONS;
  }

  @Override
  public StatusData poll(StatusData last, long nowMillis) throws SynapseException {
    return next(last, source.fetchStatus(), nowMillis);
  }

  static StatusData next(StatusData last, StatusResponse status, long nowMillis) {
    Map<String, TrackedUpdate> before = new HashMap<>();
    last.updates().forEach(u -> before.put(u.database(), u));
    List<TrackedUpdate> updates = new ArrayList<>();
    status
        .currentUpdates()
        .forEach((db, u) -> updates.add(TrackedUpdate.next(before.get(db), db, u, nowMillis)));
    return new StatusData(Optional.of(status.enabled()), updates);
  }
}

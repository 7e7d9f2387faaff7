package io.github.synapsebgu.exporter.poll;

import io.github.synapsebgu.exporter.synapse.FailureReason;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

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

  /**
   * What the tracker asks without waiting: {@link
   * io.github.synapsebgu.exporter.synapse.SynapseClient#fetchStatusAsync()} in production.
   */
  @FunctionalInterface
  public interface AsyncStatusSource {
    /** Completes with the status, or exceptionally with a {@link SynapseException}. */
    CompletableFuture<StatusResponse> fetchStatusAsync();
  }

  private final StatusSource source;
  private final AsyncStatusSource asyncSource; // null for a blocking source

  public StatusTracker(StatusSource source) {
    this.source = source;
    this.asyncSource = null;
  }

  private StatusTracker(AsyncStatusSource asyncSource) {
    this.asyncSource = asyncSource;
    this.source = () -> SynapseAwait.await(asyncSource.fetchStatusAsync());
  }

  /** A tracker whose polls hold no thread while Synapse answers. */
  public static StatusTracker async(AsyncStatusSource source) {
    return new StatusTracker(source);
  }

  @Override
  public boolean blocks() {
    return asyncSource == null;
  }

  @Override
  public CompletableFuture<StatusData> pollAsync(StatusData last, LongSupplier nowMillis) {
    if (asyncSource == null) {
      return Tracker.super.pollAsync(last, nowMillis);
    }
    CompletableFuture<StatusResponse> asked = asyncSource.fetchStatusAsync();
    CompletableFuture<StatusData> data =
        asked.thenApply(status -> next(last, status, nowMillis.getAsLong()));
    data.whenComplete(
        (v, e) -> {
          if (data.isCancelled()) {
            asked.cancel(true); // abandoned (the poller closing): abort the request
          }
        });
    return data;
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

package io.github.synapsebgu.exporter.poll;

import io.github.synapsebgu.exporter.source.Reason;
import io.github.synapsebgu.exporter.source.SourceException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of one homeserver's source, whatever the source: polls it on the threads of a
 * shared {@link PollScheduler}, one poll at a time, so polls never overlap and upstream load does
 * not depend on how often we are scraped. Each poll publishes a new {@link PollSnapshot}; the
 * {@link Tracker} says what to ask and what to keep, the loop counts, logs and tells listeners.
 */
public final class Poller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Poller.class);

  private final Tracker tracker;
  private final Clock clock;
  private final FailureLog failureLog;
  private final AtomicReference<PollSnapshot> current;
  private final List<Consumer<PollSnapshot>> listeners = new CopyOnWriteArrayList<>();
  private final FixedDelayLoop loop;

  public Poller(Tracker tracker, Clock clock, Duration interval, PollScheduler scheduler) {
    this.tracker = tracker;
    this.clock = clock;
    this.failureLog = new FailureLog(log, clock, Duration.ofMinutes(5));
    this.current = new AtomicReference<>(PollSnapshot.initial(tracker.reasons()));
    this.loop = new FixedDelayLoop(scheduler, interval, this::pollSafely);
  }

  /**
   * First poll now, then one an interval after the previous one ended (see {@link FixedDelayLoop}).
   */
  public void start() {
    loop.start();
  }

  /**
   * An extra poll after those already queued (so it cannot overlap another), e.g. right after an
   * admin change.
   *
   * @throws RejectedExecutionException once closed
   */
  public Future<PollSnapshot> pollNow() {
    FutureTask<PollSnapshot> poll = new FutureTask<>(this::pollOnce);
    loop.runSoon(poll);
    return poll;
  }

  public PollSnapshot snapshot() {
    return current.get();
  }

  /** Called on the polling thread after every poll; listeners must be quick. */
  public void addListener(Consumer<PollSnapshot> listener) {
    listeners.add(listener);
  }

  private void pollSafely() {
    try {
      pollOnce();
    } catch (RuntimeException | StackOverflowError e) {
      // A bug must not silently end the schedule (nor, as an Error, kill the worker with a stack
      // trace on stderr: a regex once overflowed the 256 KiB stack on an upstream's error body).
      log.atError().setCause(e).log("Unexpected error while polling; polling continues");
    }
  }

  PollSnapshot pollOnce() {
    long startNanos = System.nanoTime();
    PollSnapshot previous = current.get();
    PollSnapshot next;
    try {
      StatusData data = tracker.poll(previous.data(), clock.millis());
      long now = clock.millis();
      next = success(previous, data, now, seconds(startNanos));
      failureLog.recovered();
    } catch (SourceException e) {
      long now = clock.millis();
      next = failure(previous, e, now, seconds(startNanos));
      failureLog.failed(e);
    }
    current.set(next);
    for (Consumer<PollSnapshot> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        log.atError().setCause(e).log("Poll listener failed");
      }
    }
    return next;
  }

  private static PollSnapshot success(
      PollSnapshot previous, StatusData data, long now, double duration) {
    return new PollSnapshot(
        true,
        true,
        data.enabled(),
        data.updates(),
        now,
        duration,
        Optional.empty(),
        previous.pollsTotal() + 1,
        previous.errorCounts());
  }

  private static PollSnapshot failure(
      PollSnapshot previous, SourceException e, long now, double duration) {
    Map<Reason, Long> counts = new LinkedHashMap<>(previous.errorCounts());
    counts.merge(e.reason(), 1L, Long::sum);
    // The last good data stays; the collector hides it once it is older than the stale-after time.
    return new PollSnapshot(
        true,
        false,
        previous.enabled(),
        previous.updates(),
        previous.lastSuccessEpochMillis(),
        duration,
        Optional.of(new PollSnapshot.PollFailure(e.source(), e.reason(), e.getMessage(), now)),
        previous.pollsTotal() + 1,
        counts);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Stops polling: no new poll starts, the one running is interrupted and given 2 s to end. */
  @Override
  public void close() {
    loop.close(2_000);
  }
}

package io.github.synapsebgu.exporter.poll;

import io.github.synapsebgu.exporter.source.Reason;
import io.github.synapsebgu.exporter.source.SourceException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
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
  private final Executor workers;

  public Poller(Tracker tracker, Clock clock, Duration interval, PollScheduler scheduler) {
    this.tracker = tracker;
    this.clock = clock;
    this.failureLog = new FailureLog(log, clock, Duration.ofMinutes(5));
    this.current = new AtomicReference<>(PollSnapshot.initial(tracker.reasons()));
    this.workers = scheduler.workers();
    this.loop = new FixedDelayLoop(scheduler, interval, this::pollSafely, tracker.blocks());
  }

  /**
   * First poll now, then one an interval after the previous one ended (see {@link FixedDelayLoop}).
   */
  public void start() {
    loop.start();
  }

  /**
   * First poll after {@code firstDelay} (a homeserver's spread offset, so that thousands of
   * homeservers are not all polled at second 0), then one an interval after the previous one ended.
   */
  public void start(Duration firstDelay) {
    loop.start(firstDelay);
  }

  /**
   * An extra poll after those already queued (so it cannot overlap another), e.g. right after an
   * admin change.
   *
   * @throws RejectedExecutionException once closed
   */
  public Future<PollSnapshot> pollNow() {
    CompletableFuture<PollSnapshot> result = new CompletableFuture<>();
    loop.runSoon(
        () -> {
          CompletableFuture<PollSnapshot> poll;
          try {
            poll = pollAsync();
          } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
            throw e;
          }
          poll.whenComplete(
              (snapshot, e) -> {
                if (e != null) {
                  result.completeExceptionally(e);
                } else {
                  result.complete(snapshot);
                }
              });
          return poll;
        },
        result);
    return result;
  }

  public PollSnapshot snapshot() {
    return current.get();
  }

  /** Called on the polling thread after every poll; listeners must be quick. */
  public void addListener(Consumer<PollSnapshot> listener) {
    listeners.add(listener);
  }

  private CompletionStage<?> pollSafely() {
    try {
      return pollAsync();
    } catch (RuntimeException | StackOverflowError e) {
      // A bug must not silently end the schedule (nor, as an Error, kill the worker with a stack
      // trace on stderr: a regex once overflowed the 256 KiB stack on an upstream's error body).
      log.atError().setCause(e).log("Unexpected error while polling; polling continues");
      return CompletableFuture.completedFuture(null);
    }
  }

  /** One poll, waited for; on the calling thread for a blocking tracker (tests call it). */
  PollSnapshot pollOnce() {
    try {
      return pollAsync().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return current.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /**
   * Asks the tracker; its answer is published (on the fixed workers when it came later, never on
   * the HTTP client's I/O thread). Cancelling the result abandons the question.
   */
  private CompletableFuture<PollSnapshot> pollAsync() {
    long startNanos = System.nanoTime();
    PollSnapshot previous = current.get();
    CompletableFuture<StatusData> asked = tracker.pollAsync(previous.data(), clock::millis);
    if (asked.isDone()) {
      return CompletableFuture.completedFuture(publish(previous, asked, startNanos));
    }
    CompletableFuture<PollSnapshot> published =
        asked.handleAsync((data, e) -> publish(previous, asked, startNanos), workers);
    published.whenComplete(
        (v, e) -> {
          if (published.isCancelled()) {
            asked.cancel(true);
          }
        });
    return published;
  }

  /** Folds a finished question into a new snapshot, swaps it in and tells the listeners. */
  private PollSnapshot publish(
      PollSnapshot previous, CompletableFuture<StatusData> asked, long startNanos) {
    PollSnapshot next;
    try {
      StatusData data = asked.join();
      long now = clock.millis();
      next = success(previous, data, now, seconds(startNanos));
      failureLog.recovered();
    } catch (CompletionException | CancellationException wrapped) {
      Throwable cause = wrapped.getCause() == null ? wrapped : wrapped.getCause();
      if (!(cause instanceof SourceException e)) {
        if (asked.isCancelled()) {
          return previous; // the poller closing: nothing to publish
        }
        log.atError().setCause(cause).log("Unexpected error while polling; polling continues");
        return previous;
      }
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

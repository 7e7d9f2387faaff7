package io.github.synapsebgu.exporter.poll;

import io.github.synapsebgu.exporter.source.Reason;
import io.github.synapsebgu.exporter.source.SourceException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of one optional source of a homeserver (its metrics endpoint, its database), beside
 * the admin API's {@link Poller}: on the same shared {@link PollScheduler}, one read at a time
 * (never overlapping), the next one an interval after the previous ended. A loop of its own, so a
 * slow or locked database can never delay the admin API's poll nor turn its {@code up} to 0.
 *
 * @param <T> what the source reads
 */
public final class SourcePoller<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SourcePoller.class);

  /** One read of the source; failures are classified with one of the source's reasons. */
  @FunctionalInterface
  public interface Read<T> {
    T read() throws SourceException;
  }

  /**
   * A read that failed in a way its source does not classify: a bug, or the runtime failing under
   * it (a native library that cannot load). Counted and shown like any failure, so the source is
   * down and its data turns stale instead of being shown as fresh forever.
   */
  public static final Reason UNEXPECTED =
      new Reason() {
        @Override
        public String label() {
          return "unexpected";
        }

        @Override
        public String explanation() {
          return "the read failed unexpectedly (see the exporter's log for the cause)";
        }

        @Override
        public String toString() {
          return label();
        }
      };

  private final String source;
  private final Read<T> read;
  private final Clock clock;
  private final FailureLog failureLog;
  private final FixedDelayLoop loop;
  private final AtomicReference<SourceSnapshot<T>> current;

  /**
   * @param reasons every reason its reads can fail with; each is counted from zero
   */
  public SourcePoller(
      String source,
      List<? extends Reason> reasons,
      Read<T> read,
      Clock clock,
      Duration interval,
      PollScheduler scheduler) {
    this.source = source;
    this.read = read;
    this.clock = clock;
    this.failureLog = new FailureLog(log, clock, Duration.ofMinutes(5), source);
    this.loop = new FixedDelayLoop(scheduler, interval, this::scheduledPoll);
    List<Reason> all = new java.util.ArrayList<>(reasons);
    all.add(UNEXPECTED);
    this.current = new AtomicReference<>(SourceSnapshot.initial(source, all));
  }

  public String source() {
    return source;
  }

  public SourceSnapshot<T> snapshot() {
    return current.get();
  }

  /** The first read now, then one an interval after the previous one ended (fixed delay). */
  public void start() {
    loop.start();
  }

  /** The first read after {@code firstDelay} (the homeserver's spread offset), then the loop. */
  public void start(Duration firstDelay) {
    loop.start(firstDelay);
  }

  private void scheduledPoll() {
    try {
      pollOnce();
    } catch (RuntimeException e) {
      // A bug must not silently end the schedule.
      log.atError().setCause(e).addKeyValue("source", source).log("Unexpected error while polling");
    }
  }

  /** One read, published; on the poll thread (tests call it directly). */
  SourceSnapshot<T> pollOnce() {
    SourceSnapshot<T> previous = current.get();
    SourceSnapshot<T> next;
    try {
      T data = readClassified();
      next =
          new SourceSnapshot<>(
              source,
              true,
              true,
              Optional.of(data),
              clock.millis(),
              Optional.empty(),
              previous.errorCounts());
      failureLog.recovered();
    } catch (SourceException e) {
      Map<Reason, Long> counts = new LinkedHashMap<>(previous.errorCounts());
      counts.merge(e.reason(), 1L, Long::sum);
      // The last good data stays; collectors hide it once older than the stale-after time.
      next =
          new SourceSnapshot<>(
              source,
              true,
              false,
              previous.data(),
              previous.lastSuccessEpochMillis(),
              Optional.of(
                  new PollSnapshot.PollFailure(
                      e.source(), e.reason(), e.getMessage(), clock.millis())),
              counts);
      failureLog.failed(e);
    }
    current.set(next);
    return next;
  }

  /** The read, with anything it throws besides its own failures turned into {@link #UNEXPECTED}. */
  private T readClassified() throws SourceException {
    try {
      return read.read();
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      log.atError().setCause(e).addKeyValue("source", source).log("Unexpected error while polling");
      throw new UnexpectedFailure(source, e);
    }
  }

  private static final class UnexpectedFailure extends SourceException {
    private static final long serialVersionUID = 1L;

    UnexpectedFailure(String source, Throwable cause) {
      super(
          source, UNEXPECTED, "unexpected " + cause.getClass().getSimpleName() + " (see the log)");
    }
  }

  /** Stops polling: no new read starts, the one running is interrupted and given 2 s to end. */
  @Override
  public void close() {
    loop.close(2_000);
  }
}

package io.github.synapsebgu.exporter.poll;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

/**
 * Runs one poll loop on the shared {@link PollScheduler}: the first poll after a start delay (0, or
 * the homeserver's spread offset), then one an interval after the previous one ended, never two at
 * once (a {@link SerialRunner}), extra runs queued behind the others. Fixed delay, not fixed rate:
 * after a slow poll or a stalled machine a fixed rate would run the missed polls back to back, and
 * the upstream would see more requests than the interval allows (the benchmark's scrape storm saw
 * 12 in 10.2 s at a 1 s interval). The timer thread only hands polls to the workers, and a poll
 * waiting on its answer holds no worker, so a hung upstream never delays another loop.
 */
final class FixedDelayLoop {
  private final PollScheduler scheduler;
  private final Duration interval;
  private final SerialRunner.AsyncTask poll;
  private final SerialRunner runner;
  private volatile boolean closed;
  private volatile ScheduledFuture<?> next;

  /**
   * A loop whose poll blocks its thread until it ends: it runs on the workers made on demand.
   *
   * @param poll one poll; it must not throw (a poller catches and logs what it does not expect)
   */
  FixedDelayLoop(PollScheduler scheduler, Duration interval, Runnable poll) {
    this(
        scheduler,
        interval,
        () -> {
          poll.run();
          return CompletableFuture.completedFuture(null);
        },
        true);
  }

  /**
   * @param poll one poll, ended when its stage completes; it must neither throw nor complete
   *     exceptionally with what it does not expect
   * @param blocks whether starting the poll may block (then it runs on the workers made on demand,
   *     else on the fixed ones)
   */
  FixedDelayLoop(
      PollScheduler scheduler, Duration interval, SerialRunner.AsyncTask poll, boolean blocks) {
    this.scheduler = scheduler;
    this.interval = interval;
    this.poll = poll;
    this.runner = new SerialRunner(blocks ? scheduler.blockingWorkers() : scheduler.workers());
  }

  void start() {
    start(Duration.ZERO);
  }

  /** The first poll after {@code firstDelay} (a homeserver's spread offset), then the loop. */
  void start(Duration firstDelay) {
    scheduleIn(firstDelay.toMillis());
  }

  /**
   * Runs {@code task} after what is queued, on the same runner, so it cannot overlap a poll.
   *
   * @throws RejectedExecutionException once closed
   */
  void runSoon(Runnable task) {
    runner.execute(task);
  }

  /**
   * Runs {@code task} after what is queued; it ends when its stage completes. {@code handle} is
   * cancelled if the task is dropped unrun (the loop closing).
   *
   * @throws RejectedExecutionException once closed
   */
  void runSoon(SerialRunner.AsyncTask task, Future<?> handle) {
    runner.executeAsync(task, handle);
  }

  private void scheduleIn(long delayMillis) {
    if (closed) {
      return;
    }
    try {
      next = scheduler.after(delayMillis, this::queueScheduledPoll);
    } catch (RejectedExecutionException e) {
      // the scheduler is closing: so is the process
    }
  }

  /** On the timer thread: hands the poll to the workers and returns. */
  private void queueScheduledPoll() {
    try {
      runner.executeAsync(this::scheduledPoll, null);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private CompletionStage<?> scheduledPoll() {
    CompletionStage<?> stage;
    try {
      stage = poll.start();
    } catch (RuntimeException | Error e) {
      scheduleIn(interval.toMillis());
      throw e;
    }
    CompletableFuture<?> source = stage.toCompletableFuture();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    // The next poll one interval after this one ended, whatever the outcome.
    source.whenComplete(
        (v, e) -> {
          scheduleIn(interval.toMillis());
          ended.complete(null);
        });
    // Closing cancels what the runner waits on: pass it on, so the request in flight is aborted.
    ended.whenComplete(
        (v, e) -> {
          if (ended.isCancelled()) {
            source.cancel(true);
          }
        });
    return ended;
  }

  /** No new poll starts; the one running is interrupted and given {@code waitMillis} to end. */
  void close(long waitMillis) {
    closed = true;
    ScheduledFuture<?> pending = next;
    if (pending != null) {
      pending.cancel(false);
    }
    runner.close(waitMillis);
  }
}

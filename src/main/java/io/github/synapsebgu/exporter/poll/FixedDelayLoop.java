package io.github.synapsebgu.exporter.poll;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

/**
 * Runs one poll loop on the shared {@link PollScheduler}: the first poll now, then one an interval
 * after the previous one ended, never two at once (a {@link SerialRunner}), extra runs queued
 * behind the others. Fixed delay, not fixed rate: after a slow poll or a stalled machine a fixed
 * rate would run the missed polls back to back, and the upstream would see more requests than the
 * interval allows (the benchmark's scrape storm saw 12 in 10.2 s at a 1 s interval). The timer
 * thread only hands polls to the workers, so a hung upstream never delays another loop.
 */
final class FixedDelayLoop {
  private final PollScheduler scheduler;
  private final Duration interval;
  private final Runnable poll;
  private final SerialRunner runner;
  private volatile boolean closed;
  private volatile ScheduledFuture<?> next;

  /**
   * @param poll one poll; it must not throw (a poller catches and logs what it does not expect)
   */
  FixedDelayLoop(PollScheduler scheduler, Duration interval, Runnable poll) {
    this.scheduler = scheduler;
    this.interval = interval;
    this.poll = poll;
    this.runner = new SerialRunner(scheduler.workers());
  }

  void start() {
    scheduleIn(0);
  }

  /**
   * Runs {@code task} after what is queued, on the same runner, so it cannot overlap a poll.
   *
   * @throws RejectedExecutionException once closed
   */
  void runSoon(Runnable task) {
    runner.execute(task);
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
      runner.execute(this::scheduledPoll);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private void scheduledPoll() {
    try {
      poll.run();
    } finally {
      scheduleIn(interval.toMillis());
    }
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

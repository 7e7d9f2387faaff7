package io.github.synapsebgu.exporter.poll;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every {@link Poller} of the process shares: one timer that only says "poll now", and
 * workers that run the polls. A poll that hangs holds one worker, never the timer, so the other
 * homeservers are still polled on time; each poller runs its own polls one at a time. Workers are
 * made when needed and end after a minute idle: at most one per homeserver polling at that moment.
 */
public final class PollScheduler implements AutoCloseable {
  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor workers;

  public PollScheduler() {
    timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "poll-timer"));
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    AtomicInteger n = new AtomicInteger();
    workers =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> daemon(r, "poller-" + n.incrementAndGet()));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Runs {@code task} on the timer thread after {@code delayMillis}; the task must only hand work
   * on, never block.
   *
   * @throws java.util.concurrent.RejectedExecutionException once closed
   */
  ScheduledFuture<?> after(long delayMillis, Runnable task) {
    return timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
  }

  /** Where polls run. */
  Executor workers() {
    return workers;
  }

  /**
   * Stops the timer and interrupts running polls. The pollers, closed first, have already waited
   * for their polls; this only gives a straggler a moment, so that a stop stays within seconds.
   */
  @Override
  public void close() {
    timer.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

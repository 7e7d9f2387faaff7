package io.github.synapsebgu.exporter.poll;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every {@link Poller} of the process shares: one timer that only says "poll now"; a
 * small fixed set of workers that start the admin API's asynchronous requests and turn their
 * answers into snapshots (a poll waiting on Synapse holds no thread, so a hung homeserver never
 * delays another's poll however many hang); and workers made on demand for sources that block (a
 * metrics endpoint, a database), at most one per such source reading at that moment, ending after a
 * minute idle. Each poller runs its own polls one at a time.
 */
public final class PollScheduler implements AutoCloseable {
  /** Enough for parsing a few hundred bytes per poll of thousands of homeservers on two cores. */
  public static final int WORKERS = 2;

  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor blockingWorkers;

  public PollScheduler() {
    timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "poll-timer"));
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    AtomicInteger w = new AtomicInteger();
    workers =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> daemon(r, "poller-" + w.incrementAndGet()));
    AtomicInteger n = new AtomicInteger();
    blockingWorkers =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> daemon(r, "poller-blocking-" + n.incrementAndGet()));
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

  /** Where polls that never block run: the fixed workers. */
  Executor workers() {
    return workers;
  }

  /** Where polls that may block on their source run: workers on demand. */
  Executor blockingWorkers() {
    return blockingWorkers;
  }

  /**
   * Stops the timer and interrupts running polls. The pollers, closed first, have already waited
   * for their polls; this only gives a straggler a moment, so that a stop stays within seconds.
   */
  @Override
  public void close() {
    timer.shutdownNow();
    workers.shutdownNow();
    blockingWorkers.shutdownNow();
    try {
      blockingWorkers.awaitTermination(500, TimeUnit.MILLISECONDS);
      workers.awaitTermination(100, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

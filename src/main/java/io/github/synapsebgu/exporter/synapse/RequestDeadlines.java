package io.github.synapsebgu.exporter.synapse;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One timer thread that cancels requests at their deadline, for every {@link SynapseClient} of the
 * process. Socket timeouts bound each read, not the whole body: a body that drips in slowly would
 * otherwise hold a poll for as long as the server likes. Its tasks only cancel, never block.
 */
public final class RequestDeadlines implements AutoCloseable {
  private final ScheduledThreadPoolExecutor timer;

  public RequestDeadlines() {
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = Executors.defaultThreadFactory().newThread(r);
              t.setName("synapse-request-deadline");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
  }

  /** Runs {@code onExpiry} after {@code deadline} unless the returned future is cancelled first. */
  ScheduledFuture<?> schedule(Duration deadline, Runnable onExpiry) {
    return timer.schedule(onExpiry, deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Close after the clients that use it. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}

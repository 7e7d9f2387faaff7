package io.github.synapsebgu.exporter.homeserver;

import io.github.synapsebgu.exporter.poll.PollScheduler;
import io.github.synapsebgu.exporter.synapse.RequestDeadlines;
import io.github.synapsebgu.exporter.synapse.SynapseHttp;
import java.time.Duration;
import java.util.Objects;

/**
 * What every {@link Homeserver} of the process shares, built once by the daemon and closed by it
 * after the last homeserver: the poll threads, the request-deadline timer and the HTTP clients to
 * Synapse. A homeserver thus costs its snapshot, trackers and cached bytes, not threads or a pool.
 *
 * @param spreadWindow first polls at each homeserver's stable offset in the first {@code
 *     spreadWindow} of its interval (at most the interval; {@link
 *     io.github.synapsebgu.exporter.poll.PollSpread}), for a fleet; zero: the first poll at once
 *     (one homeserver, ready as soon as possible)
 */
public record SharedResources(
    PollScheduler scheduler,
    RequestDeadlines deadlines,
    SynapseHttp http,
    String userAgent,
    Duration spreadWindow)
    implements AutoCloseable {
  public SharedResources {
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(deadlines, "deadlines");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(spreadWindow, "spreadWindow");
  }

  /**
   * The spread window of a fleet of {@code homeservers}: 10 ms each (at most about 100 first polls
   * a second), so 10,000 homeservers spread over 100 s, capped by each one's interval, while a
   * handful is polled, and ready, within a fraction of a second of the start.
   */
  public static Duration spreadFor(int homeservers) {
    return Duration.ofMillis(10L * Math.max(0, homeservers));
  }

  /** New threads, timer and clients for {@code userAgent}. */
  public static SharedResources create(String userAgent, Duration spreadWindow) {
    return new SharedResources(
        new PollScheduler(),
        new RequestDeadlines(),
        new SynapseHttp(userAgent),
        userAgent,
        spreadWindow);
  }

  /** After every homeserver is closed: the clients, the deadline timer, then the poll threads. */
  @Override
  public void close() {
    http.close();
    deadlines.close();
    scheduler.close();
  }
}

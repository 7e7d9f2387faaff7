package io.github.synapsebgu.exporter.homeserver;

import io.github.synapsebgu.exporter.poll.PollScheduler;
import io.github.synapsebgu.exporter.synapse.RequestDeadlines;
import io.github.synapsebgu.exporter.synapse.SynapseHttp;
import java.util.Objects;

/**
 * What every {@link Homeserver} of the process shares, built once by the daemon and closed by it
 * after the last homeserver: the poll threads, the request-deadline timer and the HTTP clients to
 * Synapse. A homeserver thus costs its snapshot, trackers and cached bytes, not threads or a pool.
 *
 * @param spreadPolls first polls at each homeserver's stable offset in the interval ({@link
 *     io.github.synapsebgu.exporter.poll.PollSpread}), for a fleet; false: the first poll at once
 *     (one homeserver, ready as soon as possible)
 */
public record SharedResources(
    PollScheduler scheduler,
    RequestDeadlines deadlines,
    SynapseHttp http,
    String userAgent,
    boolean spreadPolls)
    implements AutoCloseable {
  public SharedResources {
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(deadlines, "deadlines");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(userAgent, "userAgent");
  }

  /** New threads, timer and clients for {@code userAgent}. */
  public static SharedResources create(String userAgent, boolean spreadPolls) {
    return new SharedResources(
        new PollScheduler(),
        new RequestDeadlines(),
        new SynapseHttp(userAgent),
        userAgent,
        spreadPolls);
  }

  /** After every homeserver is closed: the clients, the deadline timer, then the poll threads. */
  @Override
  public void close() {
    http.close();
    deadlines.close();
    scheduler.close();
  }
}

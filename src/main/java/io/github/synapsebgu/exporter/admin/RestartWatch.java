package io.github.synapsebgu.exporter.admin;

import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.TrackedUpdate;
import io.github.synapsebgu.exporter.source.Reason;
import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import io.github.synapsebgu.exporter.synapse.FailureReason;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tells, when Synapse reports updates enabled during a timed pause, whether Synapse restarted (it
 * forgets a pause) or someone resumed them elsewhere (the {@code resume} command, Synapse's own
 * API). Synapse's status API has no start time, so the signs are what a restart leaves:
 *
 * <ul>
 *   <li>a poll failed since the last good one (Synapse was unreachable: it takes seconds to
 *       restart, and polls run every interval);
 *   <li>the same update on the same database reports fewer items or less running time than before
 *       (its counters live in Synapse's memory and start over at a restart; an outside resume only
 *       lets them grow).
 * </ul>
 *
 * Without either sign a restart cannot be told from an outside resume (a restart between two polls
 * with nothing running, or with counters still at 0). The safe side then is to respect the resume:
 * an operator's explicit decision is never silently undone, and the worst a wrong guess does is let
 * Synapse run its updates, its normal state, with a warning in the log and a count in {@code
 * synapse_background_updates_timed_pause_events_total{event="resumed_outside"}}.
 *
 * <p>Fed from the poller's thread and reset from a request's, hence synchronized.
 */
final class RestartWatch {
  private static final Set<Reason> RESTART_LIKE =
      Set.of(FailureReason.CONNECT, FailureReason.SERVER_ERROR);

  private Map<String, CurrentUpdate> last = Map.of();
  private boolean failedSinceLast;

  /** A pause was just accepted by Synapse: it was reachable, older failures say nothing now. */
  synchronized void pauseStarted() {
    failedSinceLast = false;
  }

  /**
   * Takes in one poll's result.
   *
   * @return for a successful poll, why it looks like a restart since the previous one (empty when
   *     nothing says so); empty for a failed poll
   */
  synchronized Optional<String> observe(PollSnapshot snapshot) {
    if (!snapshot.up()) {
      // Only what a restart looks like from here: nothing listening, or the proxy in front saying
      // Synapse is gone (502/503). A timeout or a refused token is no sign of one.
      if (snapshot.lastFailure().map(f -> RESTART_LIKE.contains(f.reason())).orElse(false)) {
        failedSinceLast = true;
      }
      return Optional.empty();
    }
    Map<String, CurrentUpdate> now = new HashMap<>();
    for (TrackedUpdate u : snapshot.updates()) {
      now.put(u.database(), u.update());
    }
    Optional<String> sign =
        failedSinceLast
            ? Optional.of("Synapse was unreachable in between")
            : countersStartedOver(last, now);
    failedSinceLast = false;
    last = now;
    return sign;
  }

  private static Optional<String> countersStartedOver(
      Map<String, CurrentUpdate> before, Map<String, CurrentUpdate> now) {
    for (Map.Entry<String, CurrentUpdate> e : now.entrySet()) {
      CurrentUpdate was = before.get(e.getKey());
      CurrentUpdate is = e.getValue();
      if (was != null
          && was.name().equals(is.name())
          && (is.totalItemCount() < was.totalItemCount()
              || is.totalDurationMs() < was.totalDurationMs())) {
        return Optional.of(
            "the counters of update " + is.name() + " on database " + e.getKey() + " started over");
      }
    }
    return Optional.empty();
  }
}

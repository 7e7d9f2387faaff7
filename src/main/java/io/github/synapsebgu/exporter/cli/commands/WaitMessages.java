package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.PromDuration;
import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.StringJoiner;

/** The text of {@code wait}'s output, from the tracker's state: pure, so it is tested as text. */
final class WaitMessages {
  private WaitMessages() {}

  static String header(String url, WaitSettings s) {
    return header(url, s, false);
  }

  /** With a database the tables are the gate: done the moment every one is empty. */
  static String header(String url, WaitSettings s, boolean tables) {
    String done =
        tables
            ? "done when every background_updates table is empty"
            : "done after "
                + s.settlePolls()
                + (s.settlePolls() == 1 ? " poll" : " polls")
                + " over at least "
                + PromDuration.format(s.settleTime())
                + " without a current update";
    return "Waiting for background updates on "
        + url
        + " (poll every "
        + PromDuration.format(s.pollInterval())
        + "; "
        + done
        + "; timeout "
        + s.timeout().map(PromDuration::format).orElse("none")
        + "; give up after "
        + PromDuration.format(s.maxUnreachable())
        + " unreachable)";
  }

  /** {@code [1m5s]}: time since waiting started, in front of every line. */
  static String stamp(WaitTracker t, Instant now) {
    return "[" + Formats.seconds(Duration.between(t.start(), now)) + "] ";
  }

  static String event(WaitTracker t, WaitEvent event, Instant now) {
    return stamp(t, now) + describe(t.settings(), event);
  }

  private static String describe(WaitSettings s, WaitEvent event) {
    if (event instanceof WaitEvent.Running r) {
      return r.seenAtStart()
          ? r.database() + ": " + Formats.progress(r.update()) + " is running"
          : r.database() + ": " + r.update().name() + " started";
    } else if (event instanceof WaitEvent.Finished f) {
      return f.database() + ": " + f.update() + " finished";
    } else if (event instanceof WaitEvent.Idle) {
      return "no update running; settling ("
          + s.settlePolls()
          + (s.settlePolls() == 1 ? " poll" : " polls")
          + " over at least "
          + PromDuration.format(s.settleTime())
          + ")";
    } else if (event instanceof WaitEvent.Paused) {
      return "background updates are PAUSED (enabled: false)"
          + (s.allowPaused() ? "; waiting for a resume (--allow-paused)" : "");
    } else if (event instanceof WaitEvent.Resumed) {
      return "background updates resumed";
    } else if (event instanceof WaitEvent.Unreachable u) {
      return "cannot read Synapse "
          + failure(u.failure())
          + "; retrying for up to "
          + PromDuration.format(s.maxUnreachable());
    } else if (event instanceof WaitEvent.Reachable r) {
      return "Synapse readable again after " + Formats.seconds(r.after());
    } else if (event instanceof WaitEvent.Queue q) {
      return q.left() == 0
          ? "no update left in the background_updates tables"
          : q.left() + " of " + q.most() + (q.most() == 1 ? " update" : " updates") + " left";
    } else if (event instanceof WaitEvent.SourceFailed f) {
      return "cannot read the "
          + f.source()
          + " source ["
          + f.reason()
          + "]: "
          + f.message()
          + "; going by the admin API meanwhile";
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  /** The live line on a terminal: what runs now, and how far waiting got. */
  static String live(WaitTracker t, Instant now) {
    StringBuilder line = new StringBuilder("[" + Formats.seconds(Duration.between(t.start(), now)));
    t.settings().timeout().ifPresent(d -> line.append(" of ").append(PromDuration.format(d)));
    line.append("] ");
    if (t.unreachableSince().isPresent()) {
      line.append("Synapse unreachable for ")
          .append(Formats.seconds(Duration.between(t.unreachableSince().get(), now)))
          .append(" [")
          .append(t.lastFailure().orElseThrow().reason().label())
          .append("], giving up at ")
          .append(PromDuration.format(t.settings().maxUnreachable()));
    } else if (!t.reached()) {
      line.append("reading the status");
    } else if (t.paused()) {
      line.append("PAUSED, waiting for a resume");
      if (!t.current().isEmpty()) {
        line.append("; ").append(running(t.current()));
      }
    } else if (t.current().isEmpty()) {
      line.append("no update running, settling ")
          .append(t.idlePolls())
          .append('/')
          .append(t.settings().settlePolls())
          .append(" polls, ")
          .append(Formats.seconds(Duration.between(t.idleSince().orElse(now), now)))
          .append('/')
          .append(PromDuration.format(t.settings().settleTime()));
    } else {
      line.append(running(t.current()));
    }
    SourceVerdict queue = t.sourceVerdict();
    if (queue.queueLeft() >= 0) {
      line.append(" | ").append(queue.queueLeft()).append(" of ").append(queue.queueMost());
      line.append(" left");
    }
    return line.append(" | ").append(t.finishedCount()).append(" finished").toString();
  }

  /** The last line: why waiting ended, and what was still running then. */
  static String summary(WaitTracker t, Instant now) {
    String took = Formats.seconds(Duration.between(t.start(), now));
    WaitSettings s = t.settings();
    return switch (t.outcome()) {
      case SETTLED ->
          "Done: no background update running for "
              + s.settlePolls()
              + (s.settlePolls() == 1 ? " poll" : " polls")
              + " over "
              + PromDuration.format(s.settleTime())
              + "; "
              + finished(t)
              + " while waiting "
              + took
              + ".";
      case TIMED_OUT ->
          "timeout: still not done after "
              + took
              + " (--timeout "
              + s.timeout().map(PromDuration::format).orElse("none")
              + "); "
              + state(t, now)
              + "; "
              + finished(t)
              + ".";
      case UNREACHABLE ->
          "giving up: cannot read Synapse "
              + t.unreachableSince()
                  .map(since -> Duration.between(since, now))
                  .filter(d -> d.getSeconds() > 0)
                  .map(d -> "for " + Formats.seconds(d) + " ")
                  .orElse("")
              + failure(t.lastFailure().orElseThrow())
              + (t.reached() ? "" : "; " + neverReachedHint(t.lastFailure().orElseThrow()));
      case PAUSED ->
          "background updates are paused on Synapse (enabled: false), so waiting would"
              + " never end"
              + (t.current().isEmpty() ? "" : "; pending: " + running(t.current()))
              + ". Resume them (`resume`), or pass --allow-paused to wait through the pause.";
      case DRAINED ->
          "Done: "
              + (t.sourceVerdict().drainedByTables()
                  ? "every background_updates table is empty"
                  : "Synapse's updater reports complete on every database")
              + "; "
              + finished(t)
              + " while waiting "
              + took
              + ".";
      case ABORTED ->
          "Synapse's background updater ABORTED on database "
              + t.sourceVerdict().abortedDatabase().orElse("?")
              + " (5 failures in a row) and retries nothing until Synapse restarts"
              + (t.current().isEmpty() ? "" : "; failing: " + running(t.current()))
              + ". Find the failing update in Synapse's log, fix its cause, then restart Synapse.";
      case WAITING -> "interrupted after " + took + "; " + state(t, now) + "; " + finished(t) + ".";
    };
  }

  private static String state(WaitTracker t, Instant now) {
    if (t.unreachableSince().isPresent()) {
      return "Synapse unreachable for "
          + Formats.seconds(Duration.between(t.unreachableSince().get(), now))
          + " "
          + failure(t.lastFailure().orElseThrow());
    }
    if (!t.reached()) {
      return "no status read yet";
    }
    String pausedNote = t.paused() ? "updates PAUSED; " : "";
    return t.current().isEmpty()
        ? pausedNote + "no update running, still settling"
        : pausedNote + "still running: " + running(t.current());
  }

  private static String finished(WaitTracker t) {
    int n = t.finishedCount();
    return n + (n == 1 ? " update" : " updates") + " finished";
  }

  private static String running(Map<String, CurrentUpdate> current) {
    StringJoiner all = new StringJoiner("; ");
    current.forEach((db, u) -> all.add(db + ": " + Formats.progress(u)));
    return all.toString();
  }

  /** What to check when not one poll worked: most likely the setup, not a restart. */
  private static String neverReachedHint(SynapseException e) {
    return switch (e.reason()) {
      case UNAUTHORIZED, FORBIDDEN ->
          "check the admin token (--synapse.token-file or " + "SYNAPSE_ADMIN_TOKEN)";
      case NOT_FOUND, REDIRECT ->
          "check --synapse.url: the main process's base URL, with any"
              + " reverse-proxy path prefix";
      default -> "check --synapse.url and that Synapse is running";
    };
  }

  static String failure(SynapseException e) {
    return "[" + e.reason().label() + "]: " + e.getMessage();
  }
}

package io.github.synapsebgu.exporter.cli.commands;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/**
 * Writes {@code wait}'s output. Both modes print one line per change (an update started or
 * finished, a pause, Synapse unreachable) and a summary. On a terminal a live line below them is
 * redrawn in place ({@code \r}) after every poll; in a log, where {@code \r} would pile up into one
 * huge line, nothing else is printed. Every line goes through {@link Terminal#visible}: the names
 * in it come from Synapse. Not thread-safe: the caller serialises calls.
 */
final class ProgressPrinter {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean tty;
  private final int width;
  // Characters of the live line now on screen, so a shorter redraw can blank the rest.
  private int liveLength;

  ProgressPrinter(PrintWriter out, PrintWriter err, boolean tty, int columns) {
    this.out = out;
    this.err = err;
    this.tty = tty;
    // Writing into the last column makes some terminals wrap, and \r then redraws one row too low.
    this.width = Math.max(20, columns - 1);
  }

  void start(String header) {
    out.println(Terminal.visible(header));
    out.flush();
  }

  void update(WaitTracker tracker, List<WaitEvent> events, Instant now) {
    for (WaitEvent event : events) {
      permanent(Terminal.visible(WaitMessages.event(tracker, event, now)));
    }
    if (tty && tracker.outcome() == WaitTracker.Outcome.WAITING) {
      String line = Terminal.visible(WaitMessages.live(tracker, now));
      if (line.length() > width) {
        line = line.substring(0, width - 3) + "...";
      }
      out.print("\r" + line + " ".repeat(Math.max(0, liveLength - line.length())));
      liveLength = Math.max(liveLength, line.length());
    }
    out.flush();
  }

  /** The summary: on stdout when done, on stderr with the command's name when waiting failed. */
  void finish(WaitTracker tracker, Instant now, String command) {
    String summary = Terminal.visible(WaitMessages.summary(tracker, now));
    if (tracker.outcome().exitCode() == ExitCodes.OK) {
      permanent(summary);
      out.flush();
    } else {
      clearLive();
      out.flush();
      err.println(command + ": " + summary);
      err.flush();
    }
  }

  private void permanent(String line) {
    if (liveLength > 0) {
      out.println("\r" + line + " ".repeat(Math.max(0, liveLength - line.length())));
      liveLength = 0;
    } else {
      out.println(line);
    }
  }

  private void clearLive() {
    if (liveLength > 0) {
      out.print("\r" + " ".repeat(liveLength) + "\r");
      liveLength = 0;
    }
  }
}

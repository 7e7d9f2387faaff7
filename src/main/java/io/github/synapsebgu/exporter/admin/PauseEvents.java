package io.github.synapsebgu.exporter.admin;

import java.util.concurrent.atomic.AtomicLongArray;

/** How timed pauses ended or were kept, counted for the admin metrics. */
final class PauseEvents {
  enum Event {
    /** Resumed by the exporter at {@code resume_at}. */
    EXPIRED("expired"),
    /** Resumed elsewhere (the resume command, Synapse's API): the timed pause ended there. */
    RESUMED_OUTSIDE("resumed_outside"),
    /** Paused again after Synapse restarted and forgot the pause. */
    REPAUSED("repaused");

    private final String label;

    Event(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  private final AtomicLongArray counts = new AtomicLongArray(Event.values().length);

  void count(Event e) {
    counts.incrementAndGet(e.ordinal());
  }

  long get(Event e) {
    return counts.get(e.ordinal());
  }
}

package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import io.github.synapsebgu.exporter.synapse.FailureReason;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The decisions of {@code wait}, fed one poll result at a time with the time it arrived: no I/O and
 * no clock of its own, so every rule is tested directly.
 *
 * <p>Synapse shows no current update ({@code {}}) also in the short gaps between two updates and
 * right after it starts, so "done" needs several empty polls in a row spanning a minimum time. A
 * failed poll breaks that run: after a restart Synapse may pick up updates again.
 */
public final class WaitTracker {
  /** Where waiting stands; every state but {@code WAITING} ends it with its exit code. */
  public enum Outcome {
    WAITING(-1),
    SETTLED(ExitCodes.OK),
    TIMED_OUT(ExitCodes.TIMEOUT_OR_REFUSED),
    UNREACHABLE(ExitCodes.UNREACHABLE),
    PAUSED(ExitCodes.PAUSED),
    /** Every {@code background_updates} table empty, or every updater {@code complete}. */
    DRAINED(ExitCodes.OK),
    /** Synapse's updater aborted on a database: it retries only after a restart. */
    ABORTED(ExitCodes.ABORTED);

    private final int exitCode;

    Outcome(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  /**
   * Failing like this before Synapse ever answered is a wrong URL or token, not a restart: waiting
   * out --max-unreachable would only delay the error.
   */
  private static final Set<FailureReason> MISCONFIGURED =
      EnumSet.of(
          FailureReason.UNAUTHORIZED,
          FailureReason.FORBIDDEN,
          FailureReason.NOT_FOUND,
          FailureReason.REDIRECT);

  private record Key(String database, String update) {}

  private final WaitSettings settings;
  private final Instant start;
  private Outcome outcome = Outcome.WAITING;
  private Map<String, CurrentUpdate> current = Map.of();
  private final Set<Key> finished = new LinkedHashSet<>();
  private boolean reached;
  private boolean paused;
  private int idlePolls;
  private Instant idleSince;
  private Instant unreachableSince;
  private SynapseException lastFailure;

  private final SourceVerdict sources = new SourceVerdict();

  public WaitTracker(WaitSettings settings, Instant start) {
    this.settings = settings;
    this.start = start;
  }

  /** A status read by the poll sent at {@code now}. */
  public List<WaitEvent> observe(Instant now, StatusResponse status) {
    List<WaitEvent> events = new ArrayList<>();
    if (unreachableSince != null) {
      events.add(new WaitEvent.Reachable(Duration.between(unreachableSince, now)));
      unreachableSince = null;
      lastFailure = null;
    }
    Map<String, CurrentUpdate> next = status.currentUpdates();
    for (Map.Entry<String, CurrentUpdate> was : current.entrySet()) {
      CurrentUpdate is = next.get(was.getKey());
      if (is == null || !is.name().equals(was.getValue().name())) {
        finished.add(new Key(was.getKey(), was.getValue().name()));
        events.add(new WaitEvent.Finished(was.getKey(), was.getValue().name()));
      }
    }
    for (Map.Entry<String, CurrentUpdate> is : next.entrySet()) {
      CurrentUpdate was = current.get(is.getKey());
      if (was == null || !was.name().equals(is.getValue().name())) {
        // Back again (Synapse restarted mid-update): it had not finished after all.
        finished.remove(new Key(is.getKey(), is.getValue().name()));
        events.add(new WaitEvent.Running(is.getKey(), is.getValue(), !reached));
      }
    }
    current = next;
    reached = true;
    if (status.enabled() == paused) { // the pause state flipped
      paused = !status.enabled();
      events.add(paused ? new WaitEvent.Paused() : new WaitEvent.Resumed());
    }
    if (paused) {
      // A paused updater shows {} also with updates pending: an empty poll proves nothing.
      idlePolls = 0;
      idleSince = null;
      if (!settings.allowPaused()) {
        outcome = Outcome.PAUSED;
      }
    } else if (next.isEmpty()) {
      if (idlePolls++ == 0) {
        idleSince = now;
        events.add(new WaitEvent.Idle());
      }
      if (idlePolls >= settings.settlePolls()
          && !now.isBefore(idleSince.plus(settings.settleTime()))) {
        outcome = Outcome.SETTLED;
      }
    } else {
      idlePolls = 0;
      idleSince = null;
    }
    return events;
  }

  /** The poll sent at {@code now} failed. */
  public List<WaitEvent> failed(Instant now, SynapseException failure) {
    List<WaitEvent> events = new ArrayList<>();
    idlePolls = 0;
    idleSince = null;
    if (unreachableSince == null) {
      unreachableSince = now;
      events.add(new WaitEvent.Unreachable(failure));
    } else if (lastFailure.reason() != failure.reason()) {
      events.add(new WaitEvent.Unreachable(failure));
    }
    lastFailure = failure;
    if ((!reached && MISCONFIGURED.contains(failure.reason()))
        || !now.isBefore(unreachableSince.plus(settings.maxUnreachable()))) {
      outcome = Outcome.UNREACHABLE;
    }
    return events;
  }

  /**
   * What the optional sources read in the poll sent at {@code now}, after the admin API's result:
   * exact answers that end waiting at once, whatever the admin API said (an aborted updater; every
   * table empty). Without sources nothing changes.
   */
  public List<WaitEvent> sources(SourceReading reading) {
    List<WaitEvent> events = new ArrayList<>();
    Outcome decided = sources.observe(reading, events);
    if (decided != null && outcome != Outcome.TIMED_OUT) {
      outcome = decided;
    } else if (outcome == Outcome.SETTLED
        && ((sources.queueLeft() > 0 && reading.databases().isPresent())
            || SourceVerdict.updaterStillWorking(reading))) {
      // Empty polls of the admin API prove nothing while the tables still hold updates, or while
      // Synapse's updater says it has not started or is running (its {} between two updates).
      outcome = Outcome.WAITING;
    }
    return events;
  }

  /** What the optional sources last told; for messages. */
  public SourceVerdict sourceVerdict() {
    return sources;
  }

  /** Ends waiting with {@code TIMED_OUT} once --timeout has passed; call before each poll. */
  public Outcome checkDeadline(Instant now) {
    if (outcome == Outcome.WAITING && deadline().filter(d -> !now.isBefore(d)).isPresent()) {
      outcome = Outcome.TIMED_OUT;
    }
    return outcome;
  }

  /** When to poll next: one interval after the last poll started, but not after the deadline. */
  public Instant nextPoll(Instant lastPollStarted) {
    Instant next = lastPollStarted.plus(settings.pollInterval());
    return deadline().filter(next::isAfter).orElse(next);
  }

  public Optional<Instant> deadline() {
    return settings.timeout().map(start::plus);
  }

  public Outcome outcome() {
    return outcome;
  }

  public WaitSettings settings() {
    return settings;
  }

  public Instant start() {
    return start;
  }

  /** The updates running at the last successful poll, by database. */
  public Map<String, CurrentUpdate> current() {
    return current;
  }

  /** Updates seen running and then gone while waiting (and not seen again since). */
  public int finishedCount() {
    return finished.size();
  }

  public boolean paused() {
    return paused;
  }

  /** Empty polls in a row so far (0 while an update runs, paused, or after a failure). */
  public int idlePolls() {
    return idlePolls;
  }

  public Optional<Instant> idleSince() {
    return Optional.ofNullable(idleSince);
  }

  /** Since when polls have been failing; empty while the last poll succeeded. */
  public Optional<Instant> unreachableSince() {
    return Optional.ofNullable(unreachableSince);
  }

  public Optional<SynapseException> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  /** Whether any poll has succeeded yet. */
  public boolean reached() {
    return reached;
  }
}

package io.github.synapsebgu.exporter.admin;

import io.github.synapsebgu.exporter.config.PromDuration;
import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Sets Synapse's enabled flag, optionally for a while. Every change the exporter makes to that flag
 * (asked through the API, the resume at expiry, the re-pause after a Synapse restart) runs under
 * one lock, so changes apply one at a time and a late re-pause can never undo a requested resume.
 * Expiries and re-pauses run on a scheduler thread of their own, never on the poller's.
 *
 * <p>Updates found enabled during a timed pause were either resumed elsewhere (the {@code resume}
 * command, Synapse's API), which ends the timed pause, or re-enabled by a Synapse restart, which
 * forgets pauses, so the pause is applied again; {@link RestartWatch} tells the two apart.
 */
final class TimedPause implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TimedPause.class);

  /** How soon a failed resume at expiry is tried again. */
  static final Duration RESUME_RETRY = Duration.ofSeconds(15);

  /** A pause that the exporter ends at {@code resumeAt}. */
  record Active(Instant since, Instant resumeAt, Duration length) {}

  /**
   * A change asked through the API.
   *
   * @param ended the timed pause this change replaced or cancelled
   */
  record Change(byte[] synapseBody, Optional<Active> timed, Optional<Active> ended) {}

  private final EnabledSwitch synapse;
  private final Clock clock;
  private final Duration lockWait;
  private final Duration resumeRetry;
  private final Runnable pollSoon;
  private final ReentrantLock changes = new ReentrantLock(true);
  private final ScheduledThreadPoolExecutor scheduler;
  private final AtomicBoolean repauseQueued = new AtomicBoolean();
  // A restart sign seen while a decision was already queued: that decision must see it too.
  private final AtomicReference<String> pendingSign = new AtomicReference<>();
  private final RestartWatch restarts = new RestartWatch();
  private final PauseEvents events = new PauseEvents();
  private volatile Active active;
  private volatile boolean closed;
  private ScheduledFuture<?> expiry; // guarded by changes
  private int failedResumes; // guarded by changes

  /**
   * @param synapseTimeout one call's deadline: the lock is held for at most two calls
   * @param pollSoon asks for a poll after a change the exporter made by itself
   */
  TimedPause(
      SynapseClient client,
      Clock clock,
      Duration synapseTimeout,
      Duration resumeRetry,
      Runnable pollSoon) {
    this.synapse = new EnabledSwitch(client);
    this.clock = clock;
    this.lockWait = synapseTimeout.multipliedBy(2).plusSeconds(1);
    this.resumeRetry = resumeRetry;
    this.pollSoon = pollSoon;
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "admin-timed-pause");
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
  }

  Optional<Active> active() {
    return Optional.ofNullable(active);
  }

  PauseEvents events() {
    return events;
  }

  /**
   * Posts {@code enabled} to Synapse; on success a pause with a duration starts its timer, and any
   * other change ends the timed pause in force.
   */
  Change set(boolean enabled, Optional<Duration> pauseFor) throws SynapseException, BusyException {
    acquire();
    try {
      byte[] body = synapse.set(enabled);
      Active before = active;
      cancelExpiry();
      Active next = null;
      if (!enabled && pauseFor.isPresent()) {
        // Millisecond precision: what the gauge and the answers show, nothing finer to pretend.
        Instant since = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        next = new Active(since, since.plus(pauseFor.get()), pauseFor.get());
        Active scheduled = next;
        restarts.pauseStarted();
        expiry =
            scheduler.schedule(
                () -> guarded(() -> expire(scheduled)),
                pauseFor.get().toMillis(),
                TimeUnit.MILLISECONDS);
      }
      active = next;
      return new Change(body, Optional.ofNullable(next), Optional.ofNullable(before));
    } finally {
      changes.unlock();
    }
  }

  /**
   * Poll listener, on the poller thread: when Synapse reports updates enabled during a timed pause,
   * queues the decision (re-pause after a restart, or end the timed pause after an outside resume)
   * and returns at once. Every snapshot is watched, so the counters before a pause are known.
   */
  void onSnapshot(PollSnapshot snapshot) {
    Optional<String> restartSign = restarts.observe(snapshot);
    Active a = active;
    if (a == null
        || closed
        || !snapshot.up()
        || !snapshot.enabled().orElse(false)
        || !clock.instant().isBefore(a.resumeAt())) {
      return;
    }
    restartSign.ifPresent(pendingSign::set);
    if (repauseQueued.compareAndSet(false, true)) {
      try {
        scheduler.execute(
            () -> {
              repauseQueued.set(false);
              Optional<String> sign = Optional.ofNullable(pendingSign.getAndSet(null));
              guarded(() -> enabledDuring(a, sign));
            });
      } catch (RejectedExecutionException e) {
        repauseQueued.set(false); // closing
      }
    }
  }

  private void expire(Active a) {
    boolean resumed = false;
    changes.lock();
    try {
      if (active != a || closed) {
        return; // cancelled or replaced while this task waited
      }
      try {
        synapse.set(true);
        active = null;
        expiry = null;
        failedResumes = 0;
        resumed = true;
        events.count(PauseEvents.Event.EXPIRED);
        log.atInfo()
            .addKeyValue("paused_for", PromDuration.format(a.length()))
            .log("Timed pause over: background updates resumed");
      } catch (SynapseException e) {
        // Keep the pause listed (its expiry now in the past, which status and the gauge show)
        // and try again: updates left paused by mistake hurt Synapse's performance.
        failedResumes++;
        log.atLevel(failedResumes == 1 ? Level.WARN : Level.DEBUG)
            .addKeyValue("reason", e.reason().label())
            .addKeyValue("err", e.getMessage())
            .addKeyValue("retry_in", PromDuration.format(resumeRetry))
            .addKeyValue("attempts", failedResumes)
            .log("Timed pause over, but resuming background updates failed; retrying");
        expiry =
            scheduler.schedule(
                () -> guarded(() -> expire(a)), resumeRetry.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      changes.unlock();
    }
    if (resumed) {
      pollSoon.run();
    }
  }

  private void enabledDuring(Active a, Optional<String> restartSign) {
    boolean paused = false;
    changes.lock();
    try {
      if (active != a || closed || !clock.instant().isBefore(a.resumeAt())) {
        return;
      }
      // The poll may have started before our own pause reached Synapse: ask Synapse itself.
      if (!synapse.get()) {
        return;
      }
      if (restartSign.isEmpty()) {
        cancelExpiry();
        active = null;
        events.count(PauseEvents.Event.RESUMED_OUTSIDE);
        log.atWarn()
            .addKeyValue("resume_at", Json.time(a.resumeAt()))
            .log(
                "Background updates were resumed outside the exporter during a timed pause; the"
                    + " timed pause ends (if Synapse restarted instead, pause them again)");
        return;
      }
      synapse.set(false);
      paused = true;
      events.count(PauseEvents.Event.REPAUSED);
      log.atWarn()
          .addKeyValue("resume_at", Json.time(a.resumeAt()))
          .addKeyValue("restart_sign", restartSign.get())
          .log(
              "Background updates were enabled again during a timed pause (Synapse restarted);"
                  + " paused them again");
    } catch (SynapseException e) {
      log.atWarn()
          .addKeyValue("reason", e.reason().label())
          .addKeyValue("err", e.getMessage())
          .log(
              "Background updates are enabled during a timed pause, but pausing them again failed;"
                  + " retrying after the next poll");
    } finally {
      changes.unlock();
    }
    if (paused) {
      pollSoon.run();
    }
  }

  private void acquire() throws BusyException {
    try {
      if (!changes.tryLock(lockWait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new BusyException();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BusyException();
    }
  }

  private void cancelExpiry() {
    if (expiry != null) {
      expiry.cancel(false);
      expiry = null;
    }
    failedResumes = 0;
  }

  /** A task that throws would otherwise vanish silently inside the executor. */
  private static void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.atError().setCause(e).log("Unexpected error in the timed pause");
    }
  }

  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Active a = active;
    if (a != null && clock.instant().isBefore(a.resumeAt())) {
      // Nothing persists the timer: say so loudly instead of resuming early during an incident.
      log.atWarn()
          .addKeyValue("resume_at", Json.time(a.resumeAt()))
          .log(
              "Stopping during a timed pause: background updates stay paused until resumed by hand"
                  + " or Synapse restarts");
    }
  }
}

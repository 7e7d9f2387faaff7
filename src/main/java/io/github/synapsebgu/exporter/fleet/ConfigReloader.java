package io.github.synapsebgu.exporter.fleet;

import io.github.synapsebgu.exporter.config.FleetFile;
import io.github.synapsebgu.exporter.config.FleetFileException;
import io.github.synapsebgu.exporter.config.FleetHomeserver;
import io.github.synapsebgu.exporter.config.FleetProblem;
import io.github.synapsebgu.exporter.config.FleetSettings;
import io.github.synapsebgu.exporter.poll.PollScheduler;
import io.github.synapsebgu.exporter.poll.Poller;
import io.github.synapsebgu.exporter.poll.StatusData;
import io.github.synapsebgu.exporter.poll.Tracker;
import io.github.synapsebgu.exporter.secrets.SafeFiles;
import io.github.synapsebgu.exporter.source.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the {@code --config.file}: on SIGHUP, on {@code POST /-/reload}, and when the file
 * changes (its size and modification time looked at every {@link #WATCH_INTERVAL} on the shared
 * poll threads, then its SHA-256, so a touch alone or a Kubernetes ConfigMap's symlink swap to the
 * same content does not reload). The file is parsed into a new set and validated whole; an invalid
 * file keeps the running set and logs why. One reload at a time.
 */
public final class ConfigReloader implements AutoCloseable {
  static final Duration WATCH_INTERVAL = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);
  private static final int LOGGED_PROBLEMS = 20;

  private final FleetSettings settings;
  private final Path file;
  private final Fleet fleet;
  private final FleetMetrics metrics;
  private final Clock clock;
  private Poller watch;
  // What the last load (successful or not) read: a change of either means "look again".
  private Stat stat;
  private byte[] hash;

  private record Stat(long modifiedMillis, long size) {}

  /** The outcome of one reload, for {@code POST /-/reload}'s answer. */
  public record Outcome(boolean ok, String message) {}

  public ConfigReloader(FleetSettings settings, Fleet fleet, FleetMetrics metrics, Clock clock) {
    this.settings = settings;
    this.file = settings.file().orElseThrow();
    this.fleet = fleet;
    this.metrics = metrics;
    this.clock = clock;
    this.stat = stat();
    this.hash = hash();
  }

  /** Starts looking at the file for changes. */
  public synchronized void watch(PollScheduler scheduler) {
    watch = new Poller(new FileWatch(), clock, WATCH_INTERVAL, scheduler);
    watch.start();
  }

  /**
   * Reads the file again and swaps its homeservers in.
   *
   * @param trigger for the log: {@code SIGHUP}, {@code /-/reload}, {@code file change}
   */
  public synchronized Outcome reload(String trigger) {
    stat = stat();
    hash = hash();
    List<FleetHomeserver> next;
    try {
      next = settings.reload();
    } catch (FleetFileException e) {
      metrics.reloaded(false, clock.millis());
      log.atWarn()
          .addKeyValue("trigger", trigger)
          .addKeyValue("file", file)
          .addKeyValue("problems", e.problems().size())
          .log("Config file invalid, keeping the running homeservers");
      List<FleetProblem> problems = e.problems();
      for (FleetProblem p : problems.subList(0, Math.min(LOGGED_PROBLEMS, problems.size()))) {
        log.atWarn().addKeyValue("file", file).log("{}", p);
      }
      return new Outcome(false, e.getMessage());
    }
    try {
      Fleet.Change change = fleet.apply(next);
      metrics.reloaded(true, clock.millis());
      log.atInfo()
          .addKeyValue("trigger", trigger)
          .addKeyValue("file", file)
          .addKeyValue("homeservers", next.size())
          .addKeyValue("added", change.added())
          .addKeyValue("changed", change.changed())
          .addKeyValue("removed", change.removed())
          .addKeyValue("kept", change.kept())
          .log("Config file reloaded");
      return new Outcome(true, "reloaded: " + next.size() + " homeservers (" + change + ")");
    } catch (IOException | RuntimeException e) {
      metrics.reloaded(false, clock.millis());
      log.atWarn()
          .addKeyValue("trigger", trigger)
          .addKeyValue("file", file)
          .addKeyValue("err", String.valueOf(e.getMessage()))
          .log("Config file reload failed, keeping the running homeservers");
      return new Outcome(false, "reload failed: " + e.getMessage());
    }
  }

  /** On the poll threads: reloads when the file's content changed since the last load. */
  synchronized void reloadIfChanged() {
    Stat now = stat();
    if (now == null || now.equals(stat)) {
      return; // a missing file (a ConfigMap mid-swap) is looked at again next time
    }
    byte[] content = hash();
    if (content != null && Arrays.equals(content, hash)) {
      stat = now;
      return;
    }
    reload("file change");
  }

  private Stat stat() {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stat(a.lastModifiedTime().toMillis(), a.size());
    } catch (IOException e) {
      return null;
    }
  }

  private byte[] hash() {
    try {
      // Never a named pipe (it would hold a poll thread), never more than the file may hold.
      byte[] content = SafeFiles.readRegularFile(file, FleetFile.MAX_BYTES);
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The file's check as a source of the shared poll scheduler: no thread of its own. */
  private final class FileWatch implements Tracker {
    @Override
    public String source() {
      return "config_file";
    }

    @Override
    public List<? extends Reason> reasons() {
      return List.of();
    }

    @Override
    public StatusData poll(StatusData last, long nowMillis) {
      reloadIfChanged();
      return StatusData.NONE;
    }
  }

  @Override
  public synchronized void close() {
    Optional.ofNullable(watch).ifPresent(Poller::close);
  }
}

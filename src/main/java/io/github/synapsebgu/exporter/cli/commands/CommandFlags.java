package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.config.Flag;
import io.github.synapsebgu.exporter.config.ValueParsers;
import java.time.Duration;
import java.util.List;

/**
 * The operator commands' own flags, each declared once, as {@link
 * io.github.synapsebgu.exporter.config.FlagCatalog} declares the daemon's: the command classes name
 * them with their {@link Names} constant, the help text comes from here, and the commands parse the
 * value with the declaration. None reads the environment (only the {@code --synapse.*} flags do).
 */
public final class CommandFlags {
  private CommandFlags() {}

  /** The names as compile-time constants, which picocli's annotations need. */
  static final class Names {
    static final String WAIT_TIMEOUT = "--timeout";
    static final String WAIT_POLL_INTERVAL = "--poll-interval";
    static final String WAIT_SETTLE = "--settle";
    static final String WAIT_SETTLE_POLLS = "--settle-polls";
    static final String WAIT_MAX_UNREACHABLE = "--max-unreachable";
    static final String WAIT_ALLOW_PAUSED = "--allow-paused";
    static final String WAIT_PROGRESS = "--progress";
    static final String STATUS_OUTPUT = "--output";
    static final String PAUSE_FOR = "--for";
    static final String START_JOB_OLD_KEY = "--old-key";
    static final String START_JOB_BEFORE_TS = "--before-ts";
    static final String TARGET = "--target";
    static final String WAIT_ALL = "--all";

    private Names() {}
  }

  static final Flag<Duration> WAIT_TIMEOUT =
      Flag.of(
              Names.WAIT_TIMEOUT,
              null,
              ValueParsers.duration(Duration.ofSeconds(1)),
              "Give up with exit 1 after this long, e.g. 2h (default: wait forever)")
          .withoutEnvironment();
  static final Flag<Duration> WAIT_POLL_INTERVAL =
      Flag.of(
              Names.WAIT_POLL_INTERVAL,
              "5s",
              ValueParsers.duration(Duration.ofSeconds(1)),
              "Time between two reads of the status, at least 1s")
          .withoutEnvironment();
  static final Flag<Duration> WAIT_SETTLE =
      Flag.of(
              Names.WAIT_SETTLE,
              "10s",
              ValueParsers.duration(Duration.ZERO),
              "Minimum time the polls without a current update must span")
          .withoutEnvironment();
  static final Flag<Integer> WAIT_SETTLE_POLLS =
      Flag.of(
              Names.WAIT_SETTLE_POLLS,
              "3",
              ValueParsers.count(1, 1000),
              "Polls in a row without a current update that mean done")
          .withoutEnvironment();
  static final Flag<Duration> WAIT_MAX_UNREACHABLE =
      Flag.of(
              Names.WAIT_MAX_UNREACHABLE,
              "2m",
              ValueParsers.duration(Duration.ZERO),
              "How long polls may keep failing, e.g. while Synapse restarts, before exit 3;"
                  + " 0 gives up at the first failure")
          .withoutEnvironment();
  static final Flag<Boolean> WAIT_ALLOW_PAUSED =
      Flag.onOff(
              Names.WAIT_ALLOW_PAUSED,
              "Keep waiting while updates are paused, for a pause that something else ends"
                  + " (default: exit 4)")
          .withoutEnvironment();
  static final Flag<WaitCommand.Progress> WAIT_PROGRESS =
      Flag.of(
              Names.WAIT_PROGRESS,
              "auto",
              ValueParsers.choice(WaitCommand.Progress.class),
              "auto, tty (live line redrawn in place) or plain (one line per change); auto picks"
                  + " tty when run on a terminal")
          .withoutEnvironment();
  static final Flag<StatusCommand.Output> STATUS_OUTPUT =
      Flag.of(
              Names.STATUS_OUTPUT,
              "table",
              ValueParsers.choice(StatusCommand.Output.class),
              "table or json")
          .withoutEnvironment();

  static final Flag<String> TARGET =
      Flag.of(
              Names.TARGET,
              null,
              ValueParsers.text(),
              "With --config.file: the homeserver (its name in the file) to act on")
          .withoutEnvironment();
  static final Flag<Boolean> WAIT_ALL =
      Flag.onOff(
              Names.WAIT_ALL,
              "With --config.file: wait until every homeserver of the file is done (progress: N of"
                  + " M done, and which are left)")
          .withoutEnvironment();

  /** Refused whatever its value: {@code pause} exits at once, so nothing would resume. */
  static final Flag<String> PAUSE_FOR =
      Flag.of(
              Names.PAUSE_FOR,
              null,
              ValueParsers.text(),
              "Not possible here: this command exits right away, so nothing would resume. Use the"
                  + " daemon's admin API instead (see above)")
          .withoutEnvironment();

  static final Flag<String> START_JOB_OLD_KEY =
      Flag.of(
              Names.START_JOB_OLD_KEY,
              null,
              (flag, raw) -> {
                if (raw.isBlank()) {
                  throw new ConfigException(flag, "must not be empty");
                }
                return raw;
              },
              "event_resign only: re-sign only events signed with this key id")
          .withoutEnvironment();
  static final Flag<Long> START_JOB_BEFORE_TS =
      Flag.of(
              Names.START_JOB_BEFORE_TS,
              null,
              CommandFlags::epochMillis,
              "event_resign only: re-sign only events sent before this time, in milliseconds since"
                  + " the Unix epoch")
          .withoutEnvironment();

  private static long epochMillis(String flag, String raw) throws ConfigException {
    try {
      long ms = Long.parseLong(raw.strip());
      if (ms >= 0) {
        return ms;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(
        flag,
        "\"" + raw + "\" is not a time in milliseconds since the Unix epoch, e.g. 1767225600000");
  }

  /** Every one of them, for their help texts. */
  public static final List<Flag<?>> ALL =
      List.of(
          WAIT_TIMEOUT,
          WAIT_POLL_INTERVAL,
          WAIT_SETTLE,
          WAIT_SETTLE_POLLS,
          WAIT_MAX_UNREACHABLE,
          WAIT_ALLOW_PAUSED,
          WAIT_PROGRESS,
          STATUS_OUTPUT,
          PAUSE_FOR,
          START_JOB_OLD_KEY,
          START_JOB_BEFORE_TS,
          TARGET,
          WAIT_ALL);
}

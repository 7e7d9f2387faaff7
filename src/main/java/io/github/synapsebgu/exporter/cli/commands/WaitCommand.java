package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.cli.commands.CommandFlags.Names;
import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.config.SourceOptions;
import io.github.synapsebgu.exporter.config.SourcesConfig;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wait}: the upgrade gate. Polls until no background update has run for a while. */
@Command(
    name = "wait",
    sortOptions = false,
    abbreviateSynopsis = true,
    usageHelpAutoWidth = true,
    description = {
      "Wait until no background update is left to run: the gate before the next Synapse"
          + " upgrade.",
      "In a deploy script: wait --synapse.url ... --timeout 2h, then branch on the exit code.",
      "Synapse also shows no current update in the short gap between two updates and right"
          + " after it starts, so `done` needs --settle-polls polls in a row without one,"
          + " spanning at least --settle. A failed poll starts that count again.",
      "With --database.url, done means every background_updates table is empty, at once;"
          + " with --synapse.metrics-url, the updater state complete on every database, and an"
          + " aborted updater exits 5 at once.",
      "On a terminal a live line shows each database's update, items, rate, the time waited"
          + " and the updates finished so far; otherwise one line per change and a summary."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCodes.OK + ":done: no background update running (settled)",
      ExitCodes.TIMEOUT_OR_REFUSED + ":--timeout reached",
      ExitCodes.USAGE + ":invalid flag or value",
      ExitCodes.UNREACHABLE
          + ":Synapse could not be read for longer than --max-unreachable, or at the first poll"
          + " because of the URL or token (401, 403, 404, redirect)",
      ExitCodes.PAUSED
          + ":background updates are paused (waiting would never end), unless --allow-paused",
      ExitCodes.ABORTED
          + ":Synapse's updater aborted (--synapse.metrics-url): it retries only after a restart",
      ExitCodes.INTERRUPTED + ":interrupted (Ctrl-C)"
    })
public final class WaitCommand extends SynapseCommand {
  enum Progress {
    AUTO,
    TTY,
    PLAIN
  }

  @Mixin SourceOptions sources = new SourceOptions();

  @Option(names = Names.WAIT_TIMEOUT, paramLabel = "DURATION")
  String timeout;

  @Option(names = Names.WAIT_POLL_INTERVAL, paramLabel = "DURATION")
  String pollInterval;

  @Option(names = Names.WAIT_SETTLE, paramLabel = "DURATION")
  String settle;

  @Option(names = Names.WAIT_SETTLE_POLLS, paramLabel = "N")
  String settlePolls;

  @Option(names = Names.WAIT_MAX_UNREACHABLE, paramLabel = "DURATION")
  String maxUnreachable;

  @Option(
      names = Names.WAIT_ALLOW_PAUSED,
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL")
  String allowPaused;

  @Option(names = Names.WAIT_PROGRESS, paramLabel = "MODE")
  String progress;

  @Option(names = Names.WAIT_ALL, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL")
  String all;

  // Serialises the poll loop and the Ctrl-C hook, so the output ends with exactly one summary.
  private final Object lock = new Object();
  private boolean over;

  public WaitCommand(CliContext context) {
    super(context);
  }

  WaitSettings settings() throws ConfigException {
    return new WaitSettings(
        CommandFlags.WAIT_POLL_INTERVAL.parse(pollInterval),
        CommandFlags.WAIT_SETTLE_POLLS.parse(settlePolls),
        CommandFlags.WAIT_SETTLE.parse(settle),
        Optional.ofNullable(CommandFlags.WAIT_TIMEOUT.parse(timeout)),
        CommandFlags.WAIT_MAX_UNREACHABLE.parse(maxUnreachable),
        CommandFlags.WAIT_ALLOW_PAUSED.parse(allowPaused));
  }

  private boolean tty() throws ConfigException {
    return switch (CommandFlags.WAIT_PROGRESS.parse(progress)) {
      case TTY -> true;
      case PLAIN -> false;
      // A terminal that cannot move the cursor would print every redraw: treat it as a log.
      case AUTO -> context.console().getAsBoolean() && !"dumb".equals(context.env().get("TERM"));
    };
  }

  private int columns() {
    try {
      String columns = context.env().get("COLUMNS");
      return columns == null ? 80 : Integer.parseInt(columns.strip());
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  @Override
  public Integer call() throws ConfigException, IOException {
    WaitSettings settings = settings();
    boolean every = CommandFlags.WAIT_ALL.parse(all);
    if (every && (fleetFile().isEmpty() || target != null)) {
      throw new ConfigException(
          CommandFlags.WAIT_ALL.name(), "needs --config.file, and not with --target");
    }
    if (every) {
      return new FleetWait(context, settings, out()).run(fleet(), err());
    }
    if (fleetFile().isPresent() && target == null) {
      throw new ConfigException(
          CommandFlags.TARGET.name(),
          "with --config.file: --target NAME (one homeserver) or --all (every homeserver)");
    }
    boolean tty = tty();
    SourcesConfig sourcesConfig = sources(sources);
    try (SynapseClient client = openClient();
        CommandSources waitSources =
            CommandSources.open(sourcesConfig, client.settings().timeout(), context.userAgent())) {
      ProgressPrinter printer = new ProgressPrinter(out(), err(), tty, columns());
      WaitTracker tracker = new WaitTracker(settings, context.clock().instant());
      printer.start(WaitMessages.header(displayUrl(client), settings));
      Thread waiting = Thread.currentThread();
      Thread hook =
          new Thread(
              () -> {
                synchronized (lock) {
                  if (over) {
                    return;
                  }
                  over = true;
                  printer.finish(tracker, context.clock().instant(), name());
                }
                waiting.interrupt();
              },
              "wait-interrupted");
      context.hooks().add(hook);
      try {
        return loop(client, waitSources, tracker, printer);
      } finally {
        context.hooks().remove(hook);
      }
    }
  }

  private int loop(
      SynapseClient client,
      CommandSources waitSources,
      WaitTracker tracker,
      ProgressPrinter printer) {
    while (true) {
      Instant pollStarted = context.clock().instant();
      synchronized (lock) {
        if (over) {
          return ExitCodes.INTERRUPTED;
        }
        if (tracker.checkDeadline(pollStarted) != WaitTracker.Outcome.WAITING) {
          over = true;
          printer.finish(tracker, pollStarted, name());
          return tracker.outcome().exitCode();
        }
      }
      StatusResponse status = null;
      SynapseException failure = null;
      try {
        status = client.fetchStatus();
      } catch (SynapseException e) {
        failure = e;
      }
      SourceReading reading = waitSources.read();
      synchronized (lock) {
        if (over) {
          return ExitCodes.INTERRUPTED;
        }
        // Poll times are when requests were sent, not when answers came: a slow first answer
        // must not make three polls at 0, 5 and 10 s look shorter than 10 s.
        List<WaitEvent> events =
            status != null
                ? tracker.observe(pollStarted, status)
                : tracker.failed(pollStarted, failure);
        events = new java.util.ArrayList<>(events);
        events.addAll(tracker.sources(reading));
        printer.update(tracker, events, pollStarted);
        if (tracker.outcome() != WaitTracker.Outcome.WAITING) {
          over = true;
          printer.finish(tracker, pollStarted, name());
          return tracker.outcome().exitCode();
        }
      }
      Instant next = tracker.nextPoll(pollStarted);
      try {
        // Until the clock says so: a sleep may end early, and a poll a hair too soon can spoil
        // the settle span.
        for (Instant now = context.clock().instant();
            now.isBefore(next);
            now = context.clock().instant()) {
          context.sleeper().sleep(Duration.between(now, next));
        }
      } catch (InterruptedException e) {
        synchronized (lock) {
          if (!over) {
            // Interrupted by something other than our Ctrl-C hook: still report, then stop.
            over = true;
            printer.finish(tracker, context.clock().instant(), name());
          }
        }
        Thread.currentThread().interrupt();
        return ExitCodes.INTERRUPTED;
      }
    }
  }
}

package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.config.FleetHomeserver;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code wait --all --config.file FILE}: the upgrade gate of a fleet. Each homeserver is waited for
 * by its own {@link WaitTracker} with the same rules as {@code wait} (settling, unreachable,
 * paused, aborted, the optional sources of the file); one line per homeserver that ends and a
 * progress line "N of M done; left: ...". Exits when every homeserver has ended: 0 if all are done,
 * otherwise the highest exit code among them (5 aborted, 4 paused, 3 unreachable, 1 --timeout).
 */
final class FleetWait {
  private static final int PARALLEL = 8;
  private static final int NAMES_SHOWN = 10;

  private final CliContext context;
  private final WaitSettings settings;
  private final PrintWriter out;

  FleetWait(CliContext context, WaitSettings settings, PrintWriter out) {
    this.context = context;
    this.settings = settings;
    this.out = out;
  }

  private static final class Member {
    final String name;
    final SynapseClient client;
    final CommandSources sources;
    final WaitTracker tracker;
    StatusResponse status;
    SynapseException failure;
    SourceReading reading;

    Member(String name, SynapseClient client, CommandSources sources, WaitTracker tracker) {
      this.name = name;
      this.client = client;
      this.sources = sources;
      this.tracker = tracker;
    }
  }

  int run(List<FleetHomeserver> fleet, PrintWriter err) throws ConfigException {
    Instant start = context.clock().instant();
    List<Member> all = new ArrayList<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL, fleet.size())));
    try {
      for (FleetHomeserver h : fleet) {
        SynapseClient client = FleetCommands.client(h.config(), context.userAgent(), err);
        CommandSources sources =
            CommandSources.open(h.config().sources(), h.config().timeout(), context.userAgent());
        all.add(new Member(h.name(), client, sources, new WaitTracker(settings, start)));
      }
      out.println(
          "Waiting for "
              + all.size()
              + " homeservers until none has a background update left"
              + settings.timeout().map(t -> " (at most " + Formats.seconds(t) + ")").orElse(""));
      out.flush();
      return loop(all, pool, start);
    } finally {
      pool.shutdownNow();
      for (Member m : all) {
        close(m.client);
        close(m.sources);
      }
    }
  }

  private int loop(List<Member> all, ExecutorService pool, Instant start) {
    List<Member> pending = new ArrayList<>(all);
    int worst = ExitCodes.OK;
    while (true) {
      Instant pollStarted = context.clock().instant();
      List<Future<?>> reads = new ArrayList<>();
      for (Member m : pending) {
        if (m.tracker.checkDeadline(pollStarted) == WaitTracker.Outcome.WAITING) {
          reads.add(pool.submit(() -> read(m)));
        }
      }
      try {
        for (Future<?> f : reads) {
          f.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        out.println("Interrupted: " + left(pending));
        out.flush();
        return ExitCodes.INTERRUPTED;
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
      List<Member> ended = new ArrayList<>();
      for (Member m : pending) {
        if (m.tracker.outcome() == WaitTracker.Outcome.WAITING) {
          if (m.status != null) {
            m.tracker.observe(pollStarted, m.status);
          } else if (m.failure != null) {
            m.tracker.failed(pollStarted, m.failure);
          }
          if (m.reading != null) {
            m.tracker.sources(m.reading);
          }
        }
        if (m.tracker.outcome() != WaitTracker.Outcome.WAITING) {
          ended.add(m);
        }
      }
      String at = "[" + Formats.seconds(Duration.between(start, pollStarted)) + "] ";
      for (Member m : ended) {
        pending.remove(m);
        WaitTracker.Outcome o = m.tracker.outcome();
        worst = Math.max(worst, o.exitCode());
        out.println(at + Terminal.visible(m.name) + ": " + describe(o));
      }
      if (!ended.isEmpty()) {
        out.println(
            at
                + (all.size() - pending.size())
                + " of "
                + all.size()
                + " done"
                + (pending.isEmpty() ? "" : "; left: " + left(pending)));
      }
      out.flush();
      if (pending.isEmpty()) {
        return worst;
      }
      Instant next = pending.get(0).tracker.nextPoll(pollStarted);
      try {
        for (Instant now = context.clock().instant();
            now.isBefore(next);
            now = context.clock().instant()) {
          context.sleeper().sleep(Duration.between(now, next));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        out.println("Interrupted: " + left(pending));
        out.flush();
        return ExitCodes.INTERRUPTED;
      }
    }
  }

  private static void read(Member m) {
    m.status = null;
    m.failure = null;
    try {
      m.status = m.client.fetchStatus();
    } catch (SynapseException e) {
      m.failure = e;
    }
    m.reading = m.sources.read();
  }

  private static String describe(WaitTracker.Outcome o) {
    return switch (o) {
      case SETTLED, DRAINED -> "done";
      case TIMED_OUT -> "--timeout reached while it still had work";
      case UNREACHABLE -> "unreachable (exit 3)";
      case PAUSED -> "background updates are paused (exit 4)";
      case ABORTED -> "Synapse's updater aborted (exit 5)";
      case WAITING -> "waiting";
    };
  }

  private static String left(List<Member> pending) {
    List<String> names = new ArrayList<>();
    for (Member m : pending.subList(0, Math.min(NAMES_SHOWN, pending.size()))) {
      names.add(Terminal.visible(m.name));
    }
    String more =
        pending.size() > NAMES_SHOWN ? " (+" + (pending.size() - NAMES_SHOWN) + " more)" : "";
    return String.join(", ", names) + more;
  }

  private static void close(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // one-shot command: nothing to do
    }
  }
}

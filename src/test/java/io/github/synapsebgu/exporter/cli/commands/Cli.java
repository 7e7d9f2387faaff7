package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.cli.Main;
import io.github.synapsebgu.exporter.config.Env;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import picocli.CommandLine;

/**
 * Runs the real command line (Main with its handlers and subcommands) in-process, with a fake clock
 * whose sleeps return at once, a chosen terminal/no terminal, and captured output.
 */
final class Cli {
  static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

  final MutableClock clock = new MutableClock(START);

  /** The clock the commands see: the fake one unless a test wants real time. */
  java.time.Clock commandClock = clock;

  final Map<String, String> env = new HashMap<>();
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  final List<Thread> hooks = new CopyOnWriteArrayList<>();
  final List<Thread> removedHooks = new CopyOnWriteArrayList<>();
  boolean console;

  /** The writers of the last run, to see whether anything is printed after it returned. */
  StringWriter lastOut;

  StringWriter lastErr;

  CliContext.Sleeper sleeper =
      d -> {
        sleeps.add(d);
        clock.advance(d);
      };

  record Result(int exitCode, String out, String err) {
    /** Both streams, for checks that a secret appears in neither. */
    String all() {
      return out + err;
    }
  }

  Cli() {
    env.put("SYNAPSE_ADMIN_TOKEN", FakeSynapse.TOKEN);
  }

  CliContext context() {
    return new CliContext(
        new Env(env),
        commandClock,
        d -> sleeper.sleep(d),
        new CliContext.ShutdownHooks() {
          @Override
          public void add(Thread hook) {
            hooks.add(hook);
          }

          @Override
          public void remove(Thread hook) {
            removedHooks.add(hook);
          }
        },
        () -> console,
        "synapse-bgu-exporter/test");
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    lastOut = out;
    lastErr = err;
    CommandLine cli = Main.commandLine(new Main(), env, new CommandFactory(context()));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static String[] args(String command, java.net.URI url, String... more) {
    return args(command, url.toString(), more);
  }

  static String[] args(String command, String url, String... more) {
    List<String> all = new ArrayList<>(List.of(command, "--synapse.url", url));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  Duration elapsed() {
    return Duration.between(START, clock.instant());
  }
}

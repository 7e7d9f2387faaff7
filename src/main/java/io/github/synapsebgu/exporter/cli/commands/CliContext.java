package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.config.Env;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What the operator commands take from the process around them (environment, time, terminal,
 * shutdown hooks), passed in so tests can run them with a fake clock and without touching the JVM.
 */
public record CliContext(
    Env env,
    Clock clock,
    Sleeper sleeper,
    ShutdownHooks hooks,
    BooleanSupplier console,
    String userAgent) {

  public CliContext {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(hooks, "hooks");
    Objects.requireNonNull(console, "console");
    Objects.requireNonNull(userAgent, "userAgent");
  }

  /** The real process: system clock, Thread.sleep, JVM shutdown hooks, System.console(). */
  public static CliContext system(Map<String, String> env) {
    return new CliContext(
        new Env(env),
        Clock.systemUTC(),
        // Rounded up: waking a fraction of a millisecond early would cost a whole extra poll.
        d -> Thread.sleep(Math.max(0, (d.toNanos() + 999_999) / 1_000_000)),
        ShutdownHooks.JVM,
        () -> System.console() != null,
        BuildInfo.load().userAgent());
  }

  /** Waiting between polls; a fake in tests advances a fake clock instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Where Ctrl-C handling is registered; the JVM's shutdown hooks in production. */
  public interface ShutdownHooks {
    ShutdownHooks JVM =
        new ShutdownHooks() {
          @Override
          public void add(Thread hook) {
            Runtime.getRuntime().addShutdownHook(hook);
          }

          @Override
          public void remove(Thread hook) {
            try {
              Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
              // the JVM is already exiting: the hook runs or has run, nothing left to undo
            }
          }
        };

    void add(Thread hook);

    void remove(Thread hook);
  }
}

package io.github.synapsebgu.exporter.cli;

import io.github.synapsebgu.exporter.cli.commands.ExitCodes;
import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.config.ServeOptions;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The daemon started with flags only, parsed without the operator commands: picocli reads every
 * command's annotations when the command line is built, about 40 ms of a 300 ms start for commands
 * a daemon never runs. Anything else (a command, help, version, an @argument file) and every usage
 * error goes to the full command line, so help and messages are the same whichever way a start was
 * parsed. Both parse the daemon's flags with the one {@link ServeOptions} (each flag declared once,
 * in {@code FlagCatalog}), so the two paths cannot disagree on a flag.
 *
 * <p>Most starts do not build even that: {@link #run} reads the flags with {@link CatalogParser}
 * and loads no picocli class at all; only what it declines comes to {@link #commandLine}.
 */
final class PlainStart {
  /** The full command line's commands: it refuses them as flag values, so they go there. */
  static final Set<String> COMMANDS =
      Set.of("status", "wait", "pause", "resume", "start-job", "serve", "help");

  private PlainStart() {}

  /**
   * Whether every argument is an ordinary flag or value. Anything the full command line could read
   * differently goes there: a command name (also as a flag's value), an @argument file, and
   * anything that starts like its standard options, which it reads as options even where a value is
   * expected (-h..., -V..., --help..., --version...).
   */
  static boolean applies(String[] args) {
    for (String arg : args) {
      String value =
          arg.startsWith("--") && arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : arg;
      if (special(arg) || special(value)) {
        return false;
      }
    }
    return true;
  }

  private static boolean special(String arg) {
    return COMMANDS.contains(arg)
        || arg.startsWith("@")
        || arg.startsWith("-h")
        || arg.startsWith("-V")
        || arg.startsWith("--help")
        || arg.startsWith("--version");
  }

  /**
   * Runs a plain start whose flags {@link CatalogParser} reads, without picocli, and returns its
   * exit code; empty when the flags need picocli (nothing has run then).
   *
   * @param err where a failure is reported, as the command line's handlers ({@link Main#configure})
   *     word it
   */
  static Optional<Integer> run(String[] args, Map<String, String> env, PrintWriter err) {
    Optional<ServeOptions> options = applies(args) ? CatalogParser.parse(args) : Optional.empty();
    if (options.isEmpty()) {
      return Optional.empty();
    }
    Main main = new Main();
    main.env(env);
    try {
      return Optional.of(main.serve(options.get()));
    } catch (ConfigException e) {
      return Optional.of(Main.report(err, e, ExitCodes.USAGE));
    } catch (Exception e) {
      return Optional.of(Main.report(err, e, ExitCodes.RUNTIME_FAILURE));
    }
  }

  static CommandLine commandLine(Map<String, String> env) {
    Main main = new Main();
    main.env(env);
    DaemonFlags flags = new DaemonFlags(main);
    CommandLine cli = Main.configure(new CommandLine(flags));
    CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          if (flags.started) {
            // Not a parse error: the daemon already ran; never start it a second time.
            return usage.handleParseException(ex, args);
          }
          // Parsed again by the full command line, which words the problem (and can suggest a
          // command for a typo), writing where this one writes.
          CommandLine full = Main.commandLine(new Main(), env);
          full.setOut(ex.getCommandLine().getOut());
          full.setErr(ex.getCommandLine().getErr());
          return full.execute(args);
        });
    return cli;
  }

  /** The daemon's flags, under the program's name (error messages name it as Main's do). */
  @Command(name = "synapse-bgu-exporter")
  static final class DaemonFlags implements Callable<Integer> {
    @Mixin ServeOptions options = new ServeOptions();
    private final Main main;
    private volatile boolean started;

    DaemonFlags(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() throws Exception {
      started = true;
      return main.serve(options);
    }
  }
}

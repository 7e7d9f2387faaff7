package io.github.synapsebgu.exporter.cli;

import io.github.synapsebgu.exporter.config.ServeOptions;
import java.util.Map;
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
 * parsed.
 */
final class PlainStart {
  /** Arguments that need the full command line: its commands and standard options. */
  static final Set<String> FULL =
      Set.of(
          "status",
          "wait",
          "pause",
          "resume",
          "start-job",
          "serve",
          "help",
          "-h",
          "--help",
          "-V",
          "--version");

  private PlainStart() {}

  static boolean applies(String[] args) {
    for (String arg : args) {
      if (FULL.contains(arg) || arg.startsWith("@")) {
        return false;
      }
    }
    return true;
  }

  static CommandLine commandLine(Map<String, String> env) {
    Main main = new Main();
    main.env(env);
    CommandLine cli = Main.configure(new CommandLine(new Flags(main)));
    cli.setParameterExceptionHandler(
        (ex, args) -> {
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
  static final class Flags implements Callable<Integer> {
    @Mixin ServeOptions options = new ServeOptions();
    private final Main main;

    Flags(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() throws Exception {
      return main.serve(options);
    }
  }
}

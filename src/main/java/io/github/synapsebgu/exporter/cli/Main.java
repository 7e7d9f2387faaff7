package io.github.synapsebgu.exporter.cli;

import ch.qos.logback.classic.LoggerContext;
import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.cli.commands.CliContext;
import io.github.synapsebgu.exporter.cli.commands.CommandFactory;
import io.github.synapsebgu.exporter.cli.commands.CommandFlags;
import io.github.synapsebgu.exporter.cli.commands.ExitCodes;
import io.github.synapsebgu.exporter.cli.commands.PauseCommand;
import io.github.synapsebgu.exporter.cli.commands.ResumeCommand;
import io.github.synapsebgu.exporter.cli.commands.StartJobCommand;
import io.github.synapsebgu.exporter.cli.commands.StatusCommand;
import io.github.synapsebgu.exporter.cli.commands.Terminal;
import io.github.synapsebgu.exporter.cli.commands.WaitCommand;
import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.config.ConfigValidator;
import io.github.synapsebgu.exporter.config.Env;
import io.github.synapsebgu.exporter.config.ExporterConfig;
import io.github.synapsebgu.exporter.config.FlagCatalog;
import io.github.synapsebgu.exporter.config.FlagHelp;
import io.github.synapsebgu.exporter.config.FleetCheck;
import io.github.synapsebgu.exporter.config.ServeOptions;
import io.github.synapsebgu.exporter.logging.LoggingSetup;
import java.io.PrintWriter;
import java.net.BindException;
import java.time.Clock;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Entry point: without a command (or with {@code serve}) runs the daemon until SIGTERM/SIGINT and
 * exits 0 then; the operator commands talk to Synapse once and exit.
 */
@Command(
    name = "synapse-bgu-exporter",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    synopsisHeading = "Usage:%n",
    customSynopsis = {
      "  synapse-bgu-exporter [OPTIONS]          run the daemon (same as serve)",
      "  synapse-bgu-exporter COMMAND [OPTIONS]  COMMAND --help shows its flags",
      ""
    },
    usageHelpAutoWidth = true,
    description =
        "Prometheus exporter for the background updates of Synapse, the Matrix homeserver.",
    subcommands = {
      StatusCommand.class,
      WaitCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      StartJobCommand.class
    },
    commandListHeading = "%nCommands (flags go after the command name):%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCodes.OK + ":daemon stopped by SIGTERM/SIGINT; command succeeded; --help/--version",
      ExitCodes.RUNTIME_FAILURE
          + ":daemon runtime failure (e.g. the listen address is in use); wait: --timeout reached;"
          + " pause/resume/start-job: Synapse refused the request",
      ExitCodes.USAGE + ":invalid flag, value or file",
      ExitCodes.UNREACHABLE
          + ":status/wait/pause/resume/start-job: Synapse could not be reached or read",
      ExitCodes.PAUSED + ":wait: background updates are paused (unless --allow-paused)",
      ExitCodes.ABORTED + ":wait: Synapse's updater aborted (with --synapse.metrics-url)",
      ExitCodes.INTERRUPTED + ":wait: interrupted (Ctrl-C)"
    })
public final class Main implements Callable<Integer> {
  /** The help texts, made only for picocli (a start without it never needs them). */
  private static final class Help {
    static final ResourceBundle BUNDLE =
        FlagHelp.of(Stream.concat(FlagCatalog.DAEMON.stream(), CommandFlags.ALL.stream()).toList());
  }

  @Mixin ServeOptions options = new ServeOptions();

  public static void main(String[] args) {
    System.exit(run(args, System.getenv()));
  }

  /**
   * Runs a command line with the given environment and returns the exit code (main() exits with
   * it).
   */
  public static int run(String[] args, java.util.Map<String, String> env) {
    PrintWriter err = new PrintWriter(System.err, true);
    java.util.Optional<Integer> plain = PlainStart.run(args, env, err);
    return plain.isPresent() ? plain.get() : commandLine(args, env).execute(args);
  }

  /**
   * The command line that runs {@code args}: a start of the daemon with flags only is parsed
   * without the operator commands ({@link PlainStart}), anything else by the full command line.
   */
  public static CommandLine commandLine(String[] args, java.util.Map<String, String> env) {
    return PlainStart.applies(args) ? PlainStart.commandLine(env) : commandLine(new Main(), env);
  }

  /** The command line as {@code main()} runs it (public for the class-data training run). */
  public static CommandLine commandLine(Main main, java.util.Map<String, String> env) {
    return commandLine(main, env, CommandFactory.of(CliContext.system(env)));
  }

  /** The command line with the operator commands created by {@code factory} (tests: fake time). */
  public static CommandLine commandLine(
      Main main, java.util.Map<String, String> env, CommandLine.IFactory factory) {
    main.env(env);
    return configure(new CommandLine(main, factory));
  }

  /** Flag handling, help and error reporting shared by every command line of the program. */
  static CommandLine configure(CommandLine cli) {
    // Every flag's help text comes from its declaration, for this command and its subcommands.
    cli.setResourceBundle(Help.BUNDLE);
    // As with Go's flag package: a repeated flag takes its last value (handy for wrappers that
    // append).
    cli.setOverwrittenOptionsAllowed(true);
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("synapse-bgu-exporter: " + usageProblem(ex) + " (see --help)");
          err.flush();
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (ex instanceof ConfigException) {
            err.println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(ex));
            err.flush();
            return ExitCodes.USAGE;
          }
          return report(err, ex, ExitCodes.RUNTIME_FAILURE);
        });
    return cli;
  }

  private Env env = new Env(System.getenv());

  void env(java.util.Map<String, String> env) {
    this.env = new Env(env);
  }

  @Override
  public Integer call() throws Exception {
    return serve(options);
  }

  /** {@code serve}: the daemon under its own name, for symmetry with the other commands. */
  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      sortOptions = false,
      usageHelpAutoWidth = true,
      abbreviateSynopsis = true,
      description = "Run the exporter daemon (the default when no command is given).",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        ExitCodes.OK + ":stopped by SIGTERM/SIGINT, or --help/--version",
        ExitCodes.RUNTIME_FAILURE + ":runtime failure (e.g. the listen address is in use)",
        ExitCodes.USAGE + ":invalid flag, value or file"
      })
  int serve(@Mixin ServeOptions options) throws Exception {
    if (env.value(FlagCatalog.CONFIG_CHECK, options.fleet.configCheck)) {
      return checkConfig(options);
    }
    ExporterConfig config = ConfigValidator.validate(options, env);
    LoggingSetup.apply(config.server().log());
    Logger log = LoggerFactory.getLogger(Main.class);
    BuildInfo build = BuildInfo.load();
    log.atInfo()
        .addKeyValue("version", build.version())
        .addKeyValue("revision", build.revision())
        .addKeyValue("java", build.javaVersion())
        .log("Starting synapse-bgu-exporter");
    log.atInfo().log("Configuration: {}", config.describe());
    Daemon daemon;
    try {
      daemon = Daemon.start(config, Clock.systemUTC(), build);
    } catch (BindException e) {
      throw new IllegalStateException(
          FlagCatalog.WEB_LISTEN_ADDRESS.name()
              + ": cannot listen on "
              + config.server().listenAddress()
              + ": "
              + e.getMessage(),
          e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("Shutting down");
                  daemon.close();
                  ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
                  stopped.countDown();
                  // SIGTERM is how orchestrators stop us: that is a clean stop, so exit 0, not 143.
                  Runtime.getRuntime().halt(0);
                },
                "shutdown"));
    stopped.await();
    return 0;
  }

  /** {@code --config.check}: every problem on stderr and exit 2, or one line on stdout and 0. */
  private int checkConfig(ServeOptions options) throws ConfigException {
    FleetCheck.Outcome outcome = FleetCheck.run(options, env);
    if (outcome.problems().isEmpty()) {
      System.out.println(
          Terminal.visible(outcome.file() + ": OK, " + outcome.homeservers() + " homeservers"));
      return ExitCodes.OK;
    }
    for (String problem : outcome.problems()) {
      System.err.println(Terminal.visible(problem));
    }
    System.err.println(
        Terminal.visible(outcome.file() + ": " + outcome.problems().size() + " problem(s)"));
    return ExitCodes.USAGE;
  }

  /**
   * Picocli quotes unknown arguments in full; someone who typed {@code --synapse.token=SECRET} must
   * not see the secret echoed into a terminal log or CI output, so only option names are repeated.
   */
  static String usageProblem(CommandLine.ParameterException ex) {
    if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
      java.util.List<String> names = new java.util.ArrayList<>();
      for (String arg : unmatched.getUnmatched()) {
        if (arg.startsWith("-")) {
          names.add(arg.replaceFirst("=.*", ""));
        }
      }
      return names.isEmpty()
          ? "unexpected argument (values are not shown)"
          : "unknown option " + String.join(", ", names);
    }
    return ex.getMessage();
  }

  /** A failure of the daemon's start as the program words it; returns {@code exitCode}. */
  static int report(PrintWriter err, Exception ex, int exitCode) {
    err.println("synapse-bgu-exporter: " + describe(ex));
    err.flush();
    return exitCode;
  }

  /** An exception's message as a terminal may show it: control characters made visible. */
  private static String describe(Exception ex) {
    String message = ex.getMessage();
    return message == null ? ex.getClass().getSimpleName() : Terminal.visible(message);
  }

  /** {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      BuildInfo b = BuildInfo.load();
      return new String[] {
        "synapse-bgu-exporter "
            + b.version()
            + " (revision "
            + b.revision()
            + ", java "
            + b.javaVersion()
            + ")"
      };
    }
  }
}

package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.config.FlagCatalog;
import io.github.synapsebgu.exporter.config.FleetHomeserver;
import io.github.synapsebgu.exporter.config.HomeserverConfig;
import io.github.synapsebgu.exporter.config.SourceOptions;
import io.github.synapsebgu.exporter.config.SourcesConfig;
import io.github.synapsebgu.exporter.config.SynapseConfig;
import io.github.synapsebgu.exporter.config.SynapseOptions;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Shared by the commands that talk to Synapse: the daemon's {@code --synapse.*} flags (and their
 * environment fallbacks), building the client, and turning failures into exit codes and one line
 * for the operator.
 */
abstract class SynapseCommand implements Callable<Integer> {
  @Mixin SynapseOptions synapse = new SynapseOptions();

  @Option(names = FlagCatalog.Names.CONFIG_FILE, paramLabel = "FILE")
  String configFile;

  @Option(names = CommandFlags.Names.TARGET, paramLabel = "NAME")
  String target;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Spec CommandSpec spec;

  final CliContext context;

  SynapseCommand(CliContext context) {
    this.context = context;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** "synapse-bgu-exporter wait": the prefix of every error line. */
  String name() {
    return spec.qualifiedName();
  }

  /**
   * Validates the {@code --synapse.*} flags and opens a client.
   *
   * @throws ConfigException reported by the top command's handler as a usage error (exit 2)
   */
  SynapseClient openClient() throws ConfigException {
    rejectDaemonFlagsBeforeCommand();
    Optional<FleetHomeserver> one = fleetTarget();
    if (one.isPresent()) {
      HomeserverConfig h = one.get().config();
      return FleetCommands.client(h, context.userAgent(), err());
    }
    if (context.env().resolve(FlagCatalog.SYNAPSE_URL, synapse.synapseUrl) == null) {
      // SynapseConfig's own message suggests --demo, which only the daemon has.
      throw new ConfigException(
          FlagCatalog.SYNAPSE_URL.name(),
          "required: the homeserver's base URL, e.g. http://localhost:8008");
    }
    SynapseConfig config = SynapseConfig.validate(synapse, context.env());
    if (config.http().insecureSkipVerify()) {
      err().println("warning: " + SynapseConfig.INSECURE_TLS_WARNING);
      err().flush();
    }
    try {
      return new SynapseClient(config.http(), config.token(), context.userAgent());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(FlagCatalog.SYNAPSE_TLS_CA_FILE.name(), e.getMessage());
    }
  }

  /** The {@code --config.file} (flag or {@code CONFIG_FILE}), if given. */
  Optional<String> fleetFile() {
    String raw = context.env().resolve(FlagCatalog.CONFIG_FILE, configFile);
    return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.strip());
  }

  /**
   * With {@code --config.file}: the homeservers of the file (all of them, every shard), the
   * per-homeserver flags refused.
   */
  List<FleetHomeserver> fleet() throws ConfigException {
    return FleetCommands.load(fleetFile().orElseThrow(), synapse, context.env());
  }

  /**
   * With {@code --config.file} and {@code --target}: that homeserver; empty without the file.
   *
   * @throws ConfigException with the file but no (or an unknown) target
   */
  Optional<FleetHomeserver> fleetTarget() throws ConfigException {
    if (fleetFile().isEmpty()) {
      if (target != null) {
        throw new ConfigException(CommandFlags.TARGET.name(), "needs --config.file");
      }
      return Optional.empty();
    }
    if (target == null) {
      throw new ConfigException(
          CommandFlags.TARGET.name(),
          "required with --config.file: the name of the homeserver to act on");
    }
    return Optional.of(FleetCommands.find(fleet(), target));
  }

  /** The optional sources: the target's from the file, else the flags'. */
  SourcesConfig sources(SourceOptions flags) throws ConfigException {
    Optional<FleetHomeserver> one = fleetTarget();
    return one.isPresent()
        ? one.get().config().sources()
        : SourcesConfig.validate(flags, context.env());
  }

  /**
   * {@code synapse-bgu-exporter --synapse.url X wait} gives X to the daemon's flags, which picocli
   * then ignores; without this check the command would complain that --synapse.url is missing.
   */
  private void rejectDaemonFlagsBeforeCommand() throws ConfigException {
    CommandLine parent = spec.commandLine().getParent();
    if (parent == null || parent.getParseResult() == null) {
      return;
    }
    var before = parent.getParseResult().matchedOptions();
    if (!before.isEmpty()) {
      throw new ConfigException(
          before.get(0).longestName(),
          "flags must follow the command name, e.g. "
              + spec.qualifiedName()
              + " --synapse.url http://localhost:8008");
    }
  }

  String displayUrl(SynapseClient client) {
    return client.settings().displayUrl();
  }

  /** One line saying why Synapse could not be used, with the daemon's reason label. */
  static String unreachable(String url, SynapseException e) {
    return "cannot use Synapse's admin API at "
        + url
        + " ["
        + e.reason().label()
        + "]: "
        + e.getMessage();
  }
}

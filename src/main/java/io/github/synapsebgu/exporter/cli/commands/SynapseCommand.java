package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.config.FlagCatalog;
import io.github.synapsebgu.exporter.config.SynapseConfig;
import io.github.synapsebgu.exporter.config.SynapseOptions;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import java.io.PrintWriter;
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

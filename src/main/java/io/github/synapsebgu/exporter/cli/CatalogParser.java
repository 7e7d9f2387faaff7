package io.github.synapsebgu.exporter.cli;

import io.github.synapsebgu.exporter.config.Flag;
import io.github.synapsebgu.exporter.config.FlagCatalog;
import io.github.synapsebgu.exporter.config.FlagCatalog.Names;
import io.github.synapsebgu.exporter.config.ServeOptions;
import java.util.Optional;

/**
 * A plain start's flags read straight from {@link FlagCatalog}, without picocli: building picocli's
 * model of the command line and parsing with it was about 1 MiB of resident class metadata and heap
 * in every daemon (bench/README.md) for a job this class does in a loop.
 *
 * <p>It only takes what picocli reads one way, the same way: {@code --flag value}, {@code
 * --flag=value}, a repeated flag's last value ({@code --database.url} collects them), an on/off
 * flag alone ({@code true}) or with a value ({@code --demo=false}, {@code --demo no}). Anything
 * else (an unknown flag, a missing value, a value that starts with a dash, a bare word) is
 * declined, and the caller goes to picocli, which words the problem. {@code CatalogParserTest} runs
 * both over every flag of the catalog in each form.
 */
public final class CatalogParser {
  private CatalogParser() {}

  /**
   * The flags as typed, or empty when picocli must read them (see the class comment). Call only
   * when {@link PlainStart#applies} holds: this does not look for commands or help options (public
   * for the class-data training run, which starts the daemon as a plain start does).
   */
  public static Optional<ServeOptions> parse(String[] args) {
    ServeOptions options = new ServeOptions();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        return Optional.empty();
      }
      int eq = arg.indexOf('=');
      Flag<?> flag = flag(eq < 0 ? arg : arg.substring(0, eq));
      if (flag == null) {
        return Optional.empty();
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
        // picocli gives the next word to an on/off flag too (arity 0..1): --demo false
        value = args[++i];
      } else if (flag.onOff() && (i + 1 == args.length || flag(args[i + 1]) != null)) {
        value = "true";
      } else {
        return Optional.empty();
      }
      if (!set(options, flag.name(), value)) {
        return Optional.empty();
      }
    }
    return Optional.of(options);
  }

  /** The daemon's flag of that name (an argument {@code --name} or {@code --name=...}), or null. */
  private static Flag<?> flag(String arg) {
    int eq = arg.indexOf('=');
    String name = eq < 0 ? arg : arg.substring(0, eq);
    for (Flag<?> flag : FlagCatalog.DAEMON) {
      if (flag.name().equals(name)) {
        return flag;
      }
    }
    return null;
  }

  /**
   * Stores a value where {@link ServeOptions} keeps the flag's (the field its {@code @Option}
   * names); false for a flag it has no field for, which then goes to picocli.
   */
  private static boolean set(ServeOptions o, String name, String value) {
    switch (name) {
      case Names.SYNAPSE_URL -> o.synapse.synapseUrl = value;
      case Names.SYNAPSE_TOKEN_FILE -> o.synapse.synapseTokenFile = value;
      case Names.SYNAPSE_TIMEOUT -> o.synapse.synapseTimeout = value;
      case Names.SYNAPSE_TLS_CA_FILE -> o.synapse.synapseCaFile = value;
      case Names.SYNAPSE_TLS_INSECURE_SKIP_VERIFY -> o.synapse.synapseInsecure = value;
      case Names.SYNAPSE_METRICS_URL -> o.sources.metricsUrl = value;
      case Names.DATABASE_URL -> o.sources.databaseUrls.add(value);
      case Names.DATABASE_PASSWORD_FILE -> o.sources.passwordFile = value;
      case Names.POLL_INTERVAL -> o.pollInterval = value;
      case Names.POLL_STALE_AFTER -> o.staleAfter = value;
      case Names.WEB_LISTEN_ADDRESS -> o.listenAddress = value;
      case Names.WEB_TELEMETRY_PATH -> o.telemetryPath = value;
      case Names.WEB_CONFIG_FILE -> o.webConfigFile = value;
      case Names.WEB_DISABLE_EXPORTER_METRICS -> o.disableExporterMetrics = value;
      case Names.LOG_LEVEL -> o.logLevel = value;
      case Names.LOG_FORMAT -> o.logFormat = value;
      case Names.DEMO -> o.demo = value;
      case Names.ADMIN_ENABLED -> o.admin.enabled = value;
      case Names.ADMIN_LISTEN_ADDRESS -> o.admin.listenAddress = value;
      case Names.ADMIN_TOKEN_FILE -> o.admin.tokenFile = value;
      case Names.ADMIN_MAX_PAUSE -> o.admin.maxPause = value;
      case Names.ADMIN_WEB_CONFIG_FILE -> o.admin.webConfigFile = value;
      case Names.CONFIG_FILE -> o.fleet.configFile = value;
      case Names.CONFIG_CHECK -> o.fleet.configCheck = value;
      case Names.FLEET_SHARD -> o.fleet.shard = value;
      case Names.WEB_ENABLE_LIFECYCLE -> o.fleet.enableLifecycle = value;
      case Names.DEMO_HOMESERVERS -> o.fleet.demoHomeservers = value;
      default -> {
        return false;
      }
    }
    return true;
  }
}

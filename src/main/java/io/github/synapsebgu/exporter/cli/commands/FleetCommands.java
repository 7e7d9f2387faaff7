package io.github.synapsebgu.exporter.cli.commands;

import io.github.synapsebgu.exporter.config.ConfigException;
import io.github.synapsebgu.exporter.config.Env;
import io.github.synapsebgu.exporter.config.FlagCatalog;
import io.github.synapsebgu.exporter.config.FleetDefaults;
import io.github.synapsebgu.exporter.config.FleetFile;
import io.github.synapsebgu.exporter.config.FleetFileException;
import io.github.synapsebgu.exporter.config.FleetHomeserver;
import io.github.synapsebgu.exporter.config.HomeserverConfig;
import io.github.synapsebgu.exporter.config.Shard;
import io.github.synapsebgu.exporter.config.SynapseConfig;
import io.github.synapsebgu.exporter.config.SynapseOptions;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The operator commands with {@code --config.file}: the file's homeservers and their clients. */
final class FleetCommands {
  private FleetCommands() {}

  /**
   * @throws ConfigException naming the file's first problem, or a per-homeserver flag given too
   */
  static List<FleetHomeserver> load(String file, SynapseOptions flags, Env env)
      throws ConfigException {
    if (env.resolve(FlagCatalog.SYNAPSE_URL, flags.synapseUrl) != null) {
      throw new ConfigException(
          FlagCatalog.SYNAPSE_URL.name(),
          "cannot be used with --config.file: the file gives each homeserver's url");
    }
    if (env.resolve(FlagCatalog.SYNAPSE_TOKEN_FILE, flags.synapseTokenFile) != null) {
      throw new ConfigException(
          FlagCatalog.SYNAPSE_TOKEN_FILE.name(),
          "cannot be used with --config.file: the file gives each homeserver's token_file");
    }
    try {
      return FleetFile.load(Path.of(file), FleetDefaults.ofFlagDefaults(), Shard.ALL);
    } catch (FleetFileException e) {
      throw new ConfigException(FlagCatalog.CONFIG_FILE.name(), e.getMessage());
    }
  }

  static FleetHomeserver find(List<FleetHomeserver> fleet, String name) throws ConfigException {
    for (FleetHomeserver h : fleet) {
      if (h.name().equals(name)) {
        return h;
      }
    }
    throw new ConfigException(
        CommandFlags.TARGET.name(), "no homeserver named " + name + " in --config.file");
  }

  /** A client of one homeserver of the file, as the flags would make it. */
  static SynapseClient client(HomeserverConfig h, String userAgent, PrintWriter err)
      throws ConfigException {
    var http = h.synapse().orElseThrow();
    if (http.insecureSkipVerify()) {
      err.println("warning: " + h.name() + ": " + SynapseConfig.INSECURE_TLS_WARNING);
      err.flush();
    }
    try {
      return new SynapseClient(http, h.token().orElseThrow(), userAgent);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("homeservers." + h.name() + ".tls_ca_file", e.getMessage());
    }
  }
}

package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.config.FlagCatalog.Names;
import picocli.CommandLine.Option;

/**
 * How to reach Synapse: shared by the daemon and every subcommand that talks to Synapse. Strings as
 * typed; {@link SynapseConfig#validate} checks them. Each flag is declared in {@link FlagCatalog},
 * which also gives its help text.
 */
public final class SynapseOptions {
  @Option(names = Names.SYNAPSE_URL, paramLabel = "URL")
  public String synapseUrl;

  @Option(names = Names.SYNAPSE_TOKEN_FILE, paramLabel = "FILE")
  public String synapseTokenFile;

  @Option(names = Names.SYNAPSE_TIMEOUT, paramLabel = "DURATION")
  public String synapseTimeout;

  @Option(names = Names.SYNAPSE_TLS_CA_FILE, paramLabel = "FILE")
  public String synapseCaFile;

  @Option(
      names = Names.SYNAPSE_TLS_INSECURE_SKIP_VERIFY,
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL")
  public String synapseInsecure;
}

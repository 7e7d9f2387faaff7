package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.config.FlagCatalog.Names;
import picocli.CommandLine.Option;

/**
 * Fleet mode's flags as typed (issue 15): the homeservers from a file instead of the {@code
 * --synapse.*} flags. {@link ConfigValidator} checks them; each is declared in {@link FlagCatalog}.
 */
public final class FleetOptions {
  @Option(names = Names.CONFIG_FILE, paramLabel = "FILE")
  public String configFile;

  @Option(names = Names.CONFIG_CHECK, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL")
  public String configCheck;

  @Option(names = Names.FLEET_SHARD, paramLabel = "K/N")
  public String shard;

  @Option(
      names = Names.WEB_ENABLE_LIFECYCLE,
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL")
  public String enableLifecycle;

  @Option(names = Names.DEMO_HOMESERVERS, paramLabel = "N")
  public String demoHomeservers;
}

package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.config.FlagCatalog.Names;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The daemon's flags exactly as typed: strings, validated later by {@link ConfigValidator} so
 * validation is a pure, directly testable function. Each flag is declared in {@link FlagCatalog}
 * (its environment variable, default, check and help text).
 */
public final class ServeOptions {
  @Mixin public SynapseOptions synapse = new SynapseOptions();

  @Mixin public SourceOptions sources = new SourceOptions();

  @Option(names = Names.POLL_INTERVAL, paramLabel = "DURATION")
  public String pollInterval;

  @Option(names = Names.POLL_STALE_AFTER, paramLabel = "DURATION")
  public String staleAfter;

  @Option(names = Names.WEB_LISTEN_ADDRESS, paramLabel = "[HOST]:PORT")
  public String listenAddress;

  @Option(names = Names.WEB_TELEMETRY_PATH, paramLabel = "PATH")
  public String telemetryPath;

  @Option(names = Names.WEB_CONFIG_FILE, paramLabel = "FILE")
  public String webConfigFile;

  @Option(
      names = Names.WEB_DISABLE_EXPORTER_METRICS,
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL")
  public String disableExporterMetrics;

  @Option(names = Names.LOG_LEVEL, paramLabel = "LEVEL")
  public String logLevel;

  @Option(names = Names.LOG_FORMAT, paramLabel = "FORMAT")
  public String logFormat;

  @Option(names = Names.DEMO, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL")
  public String demo;

  @Mixin public AdminOptions admin = new AdminOptions();

  @Mixin public FleetOptions fleet = new FleetOptions();
}

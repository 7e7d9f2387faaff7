package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.config.FlagCatalog.Names;
import picocli.CommandLine.Option;

/**
 * The optional admin API's flags as typed; {@link AdminConfig#validate} checks them. A mixin of its
 * own so the admin flags stay together in --help and in one place in the code. Each flag is
 * declared in {@link FlagCatalog}, which also gives its help text.
 */
public final class AdminOptions {
  @Option(names = Names.ADMIN_ENABLED, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL")
  public String enabled;

  @Option(names = Names.ADMIN_LISTEN_ADDRESS, paramLabel = "[HOST]:PORT")
  public String listenAddress;

  @Option(names = Names.ADMIN_TOKEN_FILE, paramLabel = "FILE")
  public String tokenFile;

  @Option(names = Names.ADMIN_MAX_PAUSE, paramLabel = "DURATION")
  public String maxPause;

  @Option(names = Names.ADMIN_WEB_CONFIG_FILE, paramLabel = "FILE")
  public String webConfigFile;
}

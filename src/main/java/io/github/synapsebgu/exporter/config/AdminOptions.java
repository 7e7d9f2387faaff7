package io.github.synapsebgu.exporter.config;

import picocli.CommandLine.Option;

/**
 * The optional admin API's flags as typed; {@link AdminConfig#validate} checks them. A mixin of its
 * own so the admin flags stay together in --help and in one place in the code.
 */
public final class AdminOptions {
  @Option(
      names = "--admin.enabled",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Serve the admin API (pause/resume background updates, start jobs) on a listener of its"
              + " own. Off by default. [env: ADMIN_ENABLED]")
  public String enabled;

  @Option(
      names = "--admin.listen-address",
      paramLabel = "[HOST]:PORT",
      description =
          "Address of the admin API, never the metrics port (default 127.0.0.1:9658)."
              + " [env: ADMIN_LISTEN_ADDRESS]")
  public String listenAddress;

  @Option(
      names = "--admin.token-file",
      paramLabel = "FILE",
      description =
          "File holding the bearer token clients of the admin API must send (not Synapse's token);"
              + " required with --admin.enabled, re-read when it changes. [env: ADMIN_TOKEN_FILE]")
  public String tokenFile;

  @Option(
      names = "--admin.max-pause",
      paramLabel = "DURATION",
      description =
          "Longest timed pause the admin API accepts (default 24h). [env: ADMIN_MAX_PAUSE]")
  public String maxPause;

  @Option(
      names = "--admin.web.config.file",
      paramLabel = "FILE",
      description =
          "Exporter-toolkit web config (TLS, client certificates, basic auth) for the admin listener,"
              + " in addition to its bearer token. [env: ADMIN_WEB_CONFIG_FILE]")
  public String webConfigFile;
}

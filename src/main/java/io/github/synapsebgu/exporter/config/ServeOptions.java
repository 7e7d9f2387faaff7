package io.github.synapsebgu.exporter.config;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The daemon's flags exactly as typed: strings, validated later by {@link ConfigValidator} so
 * validation is a pure, directly testable function. Each flag falls back to the environment
 * variable named after it ({@code --poll.interval} reads {@code POLL_INTERVAL}).
 */
public final class ServeOptions {
  @Mixin public SynapseOptions synapse = new SynapseOptions();

  @Option(
      names = "--poll.interval",
      paramLabel = "DURATION",
      description = "Time between polls of Synapse (default 15s, minimum 1s). [env: POLL_INTERVAL]")
  public String pollInterval;

  @Option(
      names = "--poll.stale-after",
      paramLabel = "DURATION",
      description =
          "How long the last good values stay on /metrics while polls fail (default 5m)."
              + " [env: POLL_STALE_AFTER]")
  public String staleAfter;

  @Option(
      names = "--web.listen-address",
      paramLabel = "[HOST]:PORT",
      description = "Address to serve metrics on (default :9657). [env: WEB_LISTEN_ADDRESS]")
  public String listenAddress;

  @Option(
      names = "--web.telemetry-path",
      paramLabel = "PATH",
      description = "Path of the metrics endpoint (default /metrics). [env: WEB_TELEMETRY_PATH]")
  public String telemetryPath;

  @Option(
      names = "--web.config.file",
      paramLabel = "FILE",
      description =
          "Exporter-toolkit web config (YAML) enabling TLS and/or basic auth on the metrics"
              + " listener; re-read when it changes. [env: WEB_CONFIG_FILE]")
  public String webConfigFile;

  @Option(
      names = "--web.disable-exporter-metrics",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Leave out the jvm_* and process_* metrics. [env: WEB_DISABLE_EXPORTER_METRICS]")
  public String disableExporterMetrics;

  @Option(
      names = "--log.level",
      paramLabel = "LEVEL",
      description = "debug, info, warn or error (default info). [env: LOG_LEVEL]")
  public String logLevel;

  @Option(
      names = "--log.format",
      paramLabel = "FORMAT",
      description = "logfmt or json (default logfmt). [env: LOG_FORMAT]")
  public String logFormat;

  @Option(
      names = "--demo",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "Poll a built-in simulated homeserver instead of a real one. [env: DEMO]")
  public String demo;

  @Mixin public AdminOptions admin = new AdminOptions();
}

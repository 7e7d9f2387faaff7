package io.github.synapsebgu.exporter.config;

import picocli.CommandLine.Option;

/**
 * The daemon's flags exactly as typed: strings, validated later by {@link ConfigValidator} so
 * validation is a pure, directly testable function. Each flag falls back to the environment
 * variable named after it ({@code --poll.interval} reads {@code POLL_INTERVAL}).
 */
public final class ServeOptions {
  @Option(
      names = "--synapse.url",
      paramLabel = "URL",
      description =
          "Base URL of the homeserver's main process, e.g. http://localhost:8008 (may carry a"
              + " reverse-proxy path prefix). Required unless --demo. [env: SYNAPSE_URL]")
  public String synapseUrl;

  @Option(
      names = "--synapse.token-file",
      paramLabel = "FILE",
      description =
          "File holding a server admin's access token; re-read when it changes. Alternatively put"
              + " the token itself in SYNAPSE_ADMIN_TOKEN. Never a flag value. [env: SYNAPSE_TOKEN_FILE]")
  public String synapseTokenFile;

  @Option(
      names = "--synapse.timeout",
      paramLabel = "DURATION",
      description = "Deadline of one request to Synapse (default 10s). [env: SYNAPSE_TIMEOUT]")
  public String synapseTimeout;

  @Option(
      names = "--synapse.tls.ca-file",
      paramLabel = "FILE",
      description =
          "PEM bundle of CAs to trust for Synapse's certificate (default: the system's)."
              + " [env: SYNAPSE_TLS_CA_FILE]")
  public String synapseCaFile;

  @Option(
      names = "--synapse.tls.insecure-skip-verify",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Do not verify Synapse's certificate (unsafe; logs a warning)."
              + " [env: SYNAPSE_TLS_INSECURE_SKIP_VERIFY]")
  public String synapseInsecure;

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
}

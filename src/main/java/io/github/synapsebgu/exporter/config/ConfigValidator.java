package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns the flags as typed (plus their environment fallbacks) into a valid {@link ExporterConfig}.
 */
public final class ConfigValidator {
  public static final String TOKEN_ENV = "SYNAPSE_ADMIN_TOKEN";

  private ConfigValidator() {}

  public static ExporterConfig validate(ServeOptions o, Env env) throws ConfigException {
    LogSettings log =
        new LogSettings(
            Flags.choice(
                "--log.level",
                env.resolve("--log.level", o.logLevel),
                LogSettings.Level.INFO,
                LogSettings.Level.class),
            Flags.choice(
                "--log.format",
                env.resolve("--log.format", o.logFormat),
                LogSettings.Format.LOGFMT,
                LogSettings.Format.class));
    boolean demo = Flags.bool("--demo", env.resolve("--demo", o.demo), false);
    Duration timeout =
        Flags.duration(
            "--synapse.timeout",
            env.resolve("--synapse.timeout", o.synapseTimeout),
            Duration.ofSeconds(10),
            Duration.ofMillis(100));
    Duration interval =
        Flags.duration(
            "--poll.interval",
            env.resolve("--poll.interval", o.pollInterval),
            Duration.ofSeconds(15),
            Duration.ofSeconds(1));
    Duration staleAfter =
        Flags.duration(
            "--poll.stale-after",
            env.resolve("--poll.stale-after", o.staleAfter),
            Duration.ofMinutes(5),
            Duration.ofSeconds(1));
    if (staleAfter.compareTo(interval) < 0) {
      throw new ConfigException(
          "--poll.stale-after",
          "must be at least --poll.interval ("
              + PromDuration.format(interval)
              + "), or values would vanish"
              + " between two polls");
    }
    ListenAddress listen =
        Flags.listenAddress(
            "--web.listen-address", env.resolve("--web.listen-address", o.listenAddress), ":9657");
    String telemetryPath =
        Flags.urlPath(
            "--web.telemetry-path",
            env.resolve("--web.telemetry-path", o.telemetryPath),
            "/metrics");
    if (telemetryPath.equals("/") || telemetryPath.startsWith("/-/")) {
      throw new ConfigException(
          "--web.telemetry-path",
          "\"" + telemetryPath + "\" is taken by the landing page or health endpoints");
    }
    boolean disableExporterMetrics =
        Flags.bool(
            "--web.disable-exporter-metrics",
            env.resolve("--web.disable-exporter-metrics", o.disableExporterMetrics),
            false);

    Optional<SynapseHttpSettings> synapse = Optional.empty();
    Optional<TokenSource> token = Optional.empty();
    String url = env.resolve("--synapse.url", o.synapseUrl);
    if (!demo) {
      if (url == null) {
        throw new ConfigException(
            "--synapse.url",
            "required: the homeserver's base URL, e.g. http://localhost:8008 (or --demo to try the exporter)");
      }
      String caRaw = env.resolve("--synapse.tls.ca-file", o.synapseCaFile);
      Optional<Path> ca =
          caRaw == null
              ? Optional.empty()
              : Optional.of(Flags.readableFile("--synapse.tls.ca-file", caRaw));
      boolean insecure =
          Flags.bool(
              "--synapse.tls.insecure-skip-verify",
              env.resolve("--synapse.tls.insecure-skip-verify", o.synapseInsecure),
              false);
      synapse =
          Optional.of(
              new SynapseHttpSettings(Flags.httpUrl("--synapse.url", url), timeout, ca, insecure));
      token = Optional.of(token(o, env));
    }
    return new ExporterConfig(
        synapse,
        token,
        timeout,
        interval,
        staleAfter,
        listen,
        telemetryPath,
        disableExporterMetrics,
        log,
        demo);
  }

  private static TokenSource token(ServeOptions o, Env env) throws ConfigException {
    String file = env.resolve("--synapse.token-file", o.synapseTokenFile);
    String inline = env.get(TOKEN_ENV);
    if (file != null && inline != null) {
      throw new ConfigException(
          "--synapse.token-file", "both a token file and " + TOKEN_ENV + " are set; use only one");
    }
    if (file != null) {
      try {
        return FileTokenSource.open(Path.of(file.strip()), "--synapse.token-file");
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--synapse.token-file", e.getMessage());
      }
    }
    if (inline != null) {
      String stripped = inline.strip();
      if (stripped.isEmpty() || stripped.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
        throw new ConfigException(
            TOKEN_ENV, "must be a token without whitespace or control characters");
      }
      return TokenSource.fixed(new Secret(stripped), "environment " + TOKEN_ENV);
    }
    throw new ConfigException(
        "--synapse.token-file",
        "required: a file holding a server admin's access token (or the token in "
            + TOKEN_ENV
            + ")");
  }
}

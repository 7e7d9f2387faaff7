package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.http.webconfig.InvalidWebConfigException;
import io.github.synapsebgu.exporter.http.webconfig.WebConfigSource;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns the flags as typed (plus their environment fallbacks) into a valid {@link ExporterConfig}.
 */
public final class ConfigValidator {
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
    Duration timeout = SynapseConfig.timeout(o.synapse, env);
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

    Optional<WebConfigSource> webConfig =
        webConfig("--web.config.file", env.resolve("--web.config.file", o.webConfigFile));

    Optional<SynapseHttpSettings> synapse = Optional.empty();
    Optional<TokenSource> token = Optional.empty();
    if (!demo) {
      SynapseConfig s = SynapseConfig.validate(o.synapse, env, timeout);
      synapse = Optional.of(s.http());
      token = Optional.of(s.token());
    }
    Optional<AdminConfig> admin = AdminConfig.validate(o.admin, env);
    if (admin.isPresent()) {
      admin.get().checkAgainst(listen, token);
    }
    return new ExporterConfig(
        new ServerConfig(
            listen, telemetryPath, webConfig, log, admin, disableExporterMetrics, demo),
        java.util.List.of(
            new HomeserverConfig(
                HomeserverConfig.DEFAULT_NAME, synapse, token, timeout, interval, staleAfter)));
  }

  /**
   * Reads and fully validates an exporter-toolkit web config file named by {@code flag} (also for
   * {@code --admin.web.config.file}): the file, its certificate, key and CA files, and its bcrypt
   * hashes.
   *
   * @return empty when the flag is not set
   */
  public static Optional<WebConfigSource> webConfig(String flag, String raw)
      throws ConfigException {
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(WebConfigSource.open(Path.of(raw.strip()), flag));
    } catch (InvalidWebConfigException e) {
      throw new ConfigException(flag, e.getMessage());
    }
  }
}

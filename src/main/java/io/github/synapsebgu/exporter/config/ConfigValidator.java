package io.github.synapsebgu.exporter.config;

import static io.github.synapsebgu.exporter.config.FlagCatalog.DEMO;
import static io.github.synapsebgu.exporter.config.FlagCatalog.LOG_FORMAT;
import static io.github.synapsebgu.exporter.config.FlagCatalog.LOG_LEVEL;
import static io.github.synapsebgu.exporter.config.FlagCatalog.POLL_INTERVAL;
import static io.github.synapsebgu.exporter.config.FlagCatalog.POLL_STALE_AFTER;
import static io.github.synapsebgu.exporter.config.FlagCatalog.WEB_CONFIG_FILE;
import static io.github.synapsebgu.exporter.config.FlagCatalog.WEB_DISABLE_EXPORTER_METRICS;
import static io.github.synapsebgu.exporter.config.FlagCatalog.WEB_LISTEN_ADDRESS;
import static io.github.synapsebgu.exporter.config.FlagCatalog.WEB_TELEMETRY_PATH;

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
        new LogSettings(env.value(LOG_LEVEL, o.logLevel), env.value(LOG_FORMAT, o.logFormat));
    boolean demo = env.value(DEMO, o.demo);
    Duration timeout = SynapseConfig.timeout(o.synapse, env);
    Duration interval = env.value(POLL_INTERVAL, o.pollInterval);
    Duration staleAfter = env.value(POLL_STALE_AFTER, o.staleAfter);
    ListenAddress listen = env.value(WEB_LISTEN_ADDRESS, o.listenAddress);
    String telemetryPath = env.value(WEB_TELEMETRY_PATH, o.telemetryPath);
    if (telemetryPath.equals("/") || telemetryPath.startsWith("/-/")) {
      throw new ConfigException(
          WEB_TELEMETRY_PATH.name(),
          "\"" + telemetryPath + "\" is taken by the landing page or health endpoints");
    }
    boolean disableExporterMetrics =
        env.value(WEB_DISABLE_EXPORTER_METRICS, o.disableExporterMetrics);

    Optional<WebConfigSource> webConfig = webConfig(WEB_CONFIG_FILE, env, o.webConfigFile);

    Optional<FleetSettings> fleet = FleetValidator.validate(o, env, demo);
    if (fleet.isPresent()) {
      if (telemetryPath.equals("/probe") || telemetryPath.equals("/targets")) {
        throw new ConfigException(
            WEB_TELEMETRY_PATH.name(), "\"" + telemetryPath + "\" is taken by fleet mode");
      }
      Optional<AdminConfig> admin = AdminConfig.validate(o.admin, env);
      if (admin.isPresent()) {
        admin.get().checkAgainst(listen, Optional.empty());
        for (FleetHomeserver h : fleet.get().initial()) {
          admin.get().checkAgainst(listen, h.config().token());
        }
      }
      return new ExporterConfig(
          new ServerConfig(
              listen,
              telemetryPath,
              webConfig,
              log,
              admin,
              disableExporterMetrics,
              fleet.get().file().isEmpty()),
          fleet.get().initial().stream().map(FleetHomeserver::config).toList(),
          fleet);
    }

    Optional<SynapseHttpSettings> synapse = Optional.empty();
    Optional<TokenSource> token = Optional.empty();
    if (!demo) {
      SynapseConfig s = SynapseConfig.validate(o.synapse, env, timeout);
      synapse = Optional.of(s.http());
      token = Optional.of(s.token());
    }
    SourcesConfig sources = SourcesConfig.validate(o.sources, env);
    Optional<AdminConfig> admin = AdminConfig.validate(o.admin, env);
    if (admin.isPresent()) {
      admin.get().checkAgainst(listen, token);
    }
    return new ExporterConfig(
        new ServerConfig(
            listen, telemetryPath, webConfig, log, admin, disableExporterMetrics, demo),
        java.util.List.of(
            new HomeserverConfig(
                HomeserverConfig.DEFAULT_NAME,
                synapse,
                token,
                timeout,
                interval,
                staleAfter,
                sources)));
  }

  /**
   * Reads and fully validates an exporter-toolkit web config file named by {@code flag} (also for
   * {@code --admin.web.config.file}): the file, its certificate, key and CA files, and its bcrypt
   * hashes.
   *
   * @return empty when the flag is not set
   */
  static Optional<WebConfigSource> webConfig(Flag<String> flag, Env env, String fromCommandLine)
      throws ConfigException {
    String raw = env.resolve(flag, fromCommandLine);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(WebConfigSource.open(Path.of(raw.strip()), flag.name()));
    } catch (InvalidWebConfigException e) {
      throw new ConfigException(flag.name(), e.getMessage());
    }
  }
}

package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.source.database.DatabaseUrl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The daemon's flags, each declared once; the {@code --synapse.*} group also serves the operator
 * commands. The option classes ({@link SynapseOptions}, {@link ServeOptions}, {@link AdminOptions})
 * name each flag with its {@link Names} constant; their help text comes from here ({@link
 * FlagHelp}), and the validators read each value through {@link Env} with the declaration.
 */
public final class FlagCatalog {
  private FlagCatalog() {}

  /** The names as compile-time constants, which picocli's annotations need. */
  public static final class Names {
    public static final String SYNAPSE_URL = "--synapse.url";
    public static final String SYNAPSE_TOKEN_FILE = "--synapse.token-file";
    public static final String SYNAPSE_TIMEOUT = "--synapse.timeout";
    public static final String SYNAPSE_TLS_CA_FILE = "--synapse.tls.ca-file";
    public static final String SYNAPSE_TLS_INSECURE_SKIP_VERIFY =
        "--synapse.tls.insecure-skip-verify";
    public static final String SYNAPSE_METRICS_URL = "--synapse.metrics-url";
    public static final String DATABASE_URL = "--database.url";
    public static final String DATABASE_PASSWORD_FILE = "--database.password-file";
    public static final String POLL_INTERVAL = "--poll.interval";
    public static final String POLL_STALE_AFTER = "--poll.stale-after";
    public static final String WEB_LISTEN_ADDRESS = "--web.listen-address";
    public static final String WEB_TELEMETRY_PATH = "--web.telemetry-path";
    public static final String WEB_CONFIG_FILE = "--web.config.file";
    public static final String WEB_DISABLE_EXPORTER_METRICS = "--web.disable-exporter-metrics";
    public static final String LOG_LEVEL = "--log.level";
    public static final String LOG_FORMAT = "--log.format";
    public static final String DEMO = "--demo";
    public static final String ADMIN_ENABLED = "--admin.enabled";
    public static final String ADMIN_LISTEN_ADDRESS = "--admin.listen-address";
    public static final String ADMIN_TOKEN_FILE = "--admin.token-file";
    public static final String ADMIN_MAX_PAUSE = "--admin.max-pause";
    public static final String ADMIN_WEB_CONFIG_FILE = "--admin.web.config.file";
    public static final String CONFIG_FILE = "--config.file";
    public static final String CONFIG_CHECK = "--config.check";
    public static final String FLEET_SHARD = "--fleet.shard";
    public static final String WEB_ENABLE_LIFECYCLE = "--web.enable-lifecycle";
    public static final String DEMO_HOMESERVERS = "--demo.homeservers";

    private Names() {}
  }

  private static final Duration ONE_SECOND = Duration.ofSeconds(1);

  public static final Flag<URI> SYNAPSE_URL =
      Flag.of(
          Names.SYNAPSE_URL,
          null,
          ValueParsers.httpUrl(),
          "Base URL of the homeserver's main process, e.g. http://localhost:8008 (may carry a"
              + " reverse-proxy path prefix). Required (the daemon: unless --demo)");
  public static final Flag<String> SYNAPSE_TOKEN_FILE =
      Flag.of(
          Names.SYNAPSE_TOKEN_FILE,
          null,
          ValueParsers.text(),
          "File holding a server admin's access token; re-read when it changes. Alternatively put"
              + " the token itself in "
              + SynapseConfig.TOKEN_ENV
              + ". Never a flag value");
  public static final Flag<Duration> SYNAPSE_TIMEOUT =
      Flag.of(
          Names.SYNAPSE_TIMEOUT,
          "10s",
          ValueParsers.duration(Duration.ofMillis(100)),
          "Deadline of one request to Synapse");
  public static final Flag<Path> SYNAPSE_TLS_CA_FILE =
      Flag.of(
          Names.SYNAPSE_TLS_CA_FILE,
          null,
          ValueParsers.readableFile(),
          "PEM bundle of CAs to trust for Synapse's certificate (default: the system's)");
  public static final Flag<Boolean> SYNAPSE_TLS_INSECURE_SKIP_VERIFY =
      Flag.onOff(
          Names.SYNAPSE_TLS_INSECURE_SKIP_VERIFY,
          "Do not verify Synapse's certificate (unsafe; logs a warning)");

  public static final Flag<URI> SYNAPSE_METRICS_URL =
      Flag.of(
          Names.SYNAPSE_METRICS_URL,
          null,
          SourcesConfig.metricsUrlParser(),
          "Synapse's own metrics endpoint (main process, a listener of type metrics), e.g."
              + " http://synapse:9000/_synapse/metrics: the updater state, including an aborted"
              + " updater. Optional; no token is sent there");
  public static final Flag<DatabaseUrl> DATABASE_URL =
      Flag.of(
          Names.DATABASE_URL,
          null,
          SourcesConfig.databaseUrlParser(),
          "Read-only access to Synapse's database, [NAME=]URL: postgresql://user@host:5432/synapse"
              + " or sqlite:/path/homeserver.db (NAME as in Synapse's databases: config, master"
              + " by default); repeatable, the variable takes several separated by whitespace. The"
              + " whole queue of background updates. Optional; never a password in the URL");
  public static final Flag<Path> DATABASE_PASSWORD_FILE =
      Flag.of(
          Names.DATABASE_PASSWORD_FILE,
          null,
          ValueParsers.readableFile(),
          "File holding the PostgreSQL password of --database.url (else PGPASSFILE or"
              + " ~/.pgpass); re-read at each reconnect");

  public static final Flag<Duration> POLL_INTERVAL =
      Flag.of(
          Names.POLL_INTERVAL,
          "15s",
          ValueParsers.duration(ONE_SECOND),
          "Time between polls of Synapse, at least 1s");
  public static final Flag<Duration> POLL_STALE_AFTER =
      Flag.of(
          Names.POLL_STALE_AFTER,
          "5m",
          ValueParsers.duration(ONE_SECOND),
          "How long the last good values stay on /metrics while polls fail");
  public static final Flag<ListenAddress> WEB_LISTEN_ADDRESS =
      Flag.of(
          Names.WEB_LISTEN_ADDRESS,
          ":9657",
          ValueParsers.listenAddress(),
          "Address to serve metrics on");
  public static final Flag<String> WEB_TELEMETRY_PATH =
      Flag.of(
          Names.WEB_TELEMETRY_PATH,
          "/metrics",
          ValueParsers.urlPath(),
          "Path of the metrics endpoint");
  public static final Flag<String> WEB_CONFIG_FILE =
      Flag.of(
          Names.WEB_CONFIG_FILE,
          null,
          ValueParsers.text(),
          "Exporter-toolkit web config (YAML) enabling TLS and/or basic auth on the metrics"
              + " listener; re-read when it changes");
  public static final Flag<Boolean> WEB_DISABLE_EXPORTER_METRICS =
      Flag.onOff(Names.WEB_DISABLE_EXPORTER_METRICS, "Leave out the jvm_* and process_* metrics");
  public static final Flag<LogSettings.Level> LOG_LEVEL =
      Flag.of(
          Names.LOG_LEVEL,
          "info",
          ValueParsers.choice(LogSettings.Level.class),
          "debug, info, warn or error");
  public static final Flag<LogSettings.Format> LOG_FORMAT =
      Flag.of(
          Names.LOG_FORMAT,
          "logfmt",
          ValueParsers.choice(LogSettings.Format.class),
          "logfmt or json");
  public static final Flag<Boolean> DEMO =
      Flag.onOff(Names.DEMO, "Poll a built-in simulated homeserver instead of a real one");

  public static final Flag<Boolean> ADMIN_ENABLED =
      Flag.onOff(
          Names.ADMIN_ENABLED,
          "Serve the admin API (pause/resume background updates, start jobs) on a listener of its"
              + " own. Off by default");
  public static final Flag<ListenAddress> ADMIN_LISTEN_ADDRESS =
      Flag.of(
          Names.ADMIN_LISTEN_ADDRESS,
          "127.0.0.1:9658",
          ValueParsers.listenAddress(),
          "Address of the admin API, never the metrics port");
  public static final Flag<String> ADMIN_TOKEN_FILE =
      Flag.of(
          Names.ADMIN_TOKEN_FILE,
          null,
          ValueParsers.text(),
          "File holding the bearer token clients of the admin API must send (not Synapse's"
              + " token); required with --admin.enabled, re-read when it changes");
  public static final Flag<Duration> ADMIN_MAX_PAUSE =
      Flag.of(
          Names.ADMIN_MAX_PAUSE,
          "24h",
          ValueParsers.duration(ONE_SECOND),
          "Longest timed pause the admin API accepts");
  public static final Flag<String> ADMIN_WEB_CONFIG_FILE =
      Flag.of(
          Names.ADMIN_WEB_CONFIG_FILE,
          null,
          ValueParsers.text(),
          "Exporter-toolkit web config (TLS, client certificates, basic auth) for the admin"
              + " listener, in addition to its bearer token");

  public static final Flag<String> CONFIG_FILE =
      Flag.of(
          Names.CONFIG_FILE,
          null,
          ValueParsers.text(),
          "Fleet mode: a YAML file of homeservers (see the README's Fleet mode), served through"
              + " /probe?target=NAME and listed at /targets; reloaded on SIGHUP, on change and on"
              + " POST /-/reload. Not with --synapse.url or --demo");
  public static final Flag<Boolean> CONFIG_CHECK =
      Flag.onOff(
          Names.CONFIG_CHECK,
          "Check --config.file (and that every token file is readable), print every problem, and"
              + " exit: 0 if valid, 2 if not");
  public static final Flag<Shard> FLEET_SHARD =
      Flag.of(
          Names.FLEET_SHARD,
          "0/1",
          Shard.parser(),
          "Fleet mode: poll and serve only the homeservers whose name hashes to K modulo N"
              + " (K/N, e.g. a StatefulSet's ordinal/replicas)");
  public static final Flag<Boolean> WEB_ENABLE_LIFECYCLE =
      Flag.onOff(
          Names.WEB_ENABLE_LIFECYCLE,
          "Fleet mode: accept POST /-/reload (as Prometheus's flag of the same name)");
  public static final Flag<Integer> DEMO_HOMESERVERS =
      Flag.of(
          Names.DEMO_HOMESERVERS,
          "0",
          ValueParsers.count(0, 100),
          "Fleet mode with N simulated homeservers (0: off): /probe, /targets and the fleet's"
              + " /metrics without any Synapse");

  /** {@code --synapse.*}: the daemon's and the operator commands'. */
  public static final List<Flag<?>> SYNAPSE =
      List.of(
          SYNAPSE_URL,
          SYNAPSE_TOKEN_FILE,
          SYNAPSE_TIMEOUT,
          SYNAPSE_TLS_CA_FILE,
          SYNAPSE_TLS_INSECURE_SKIP_VERIFY);

  /** Every flag of the daemon, in the order of its --help. */
  public static final List<Flag<?>> DAEMON =
      List.of(
          SYNAPSE_URL,
          SYNAPSE_TOKEN_FILE,
          SYNAPSE_TIMEOUT,
          SYNAPSE_TLS_CA_FILE,
          SYNAPSE_TLS_INSECURE_SKIP_VERIFY,
          SYNAPSE_METRICS_URL,
          DATABASE_URL,
          DATABASE_PASSWORD_FILE,
          POLL_INTERVAL,
          POLL_STALE_AFTER,
          WEB_LISTEN_ADDRESS,
          WEB_TELEMETRY_PATH,
          WEB_CONFIG_FILE,
          WEB_DISABLE_EXPORTER_METRICS,
          LOG_LEVEL,
          LOG_FORMAT,
          DEMO,
          ADMIN_ENABLED,
          ADMIN_LISTEN_ADDRESS,
          ADMIN_TOKEN_FILE,
          ADMIN_MAX_PAUSE,
          ADMIN_WEB_CONFIG_FILE,
          CONFIG_FILE,
          CONFIG_CHECK,
          FLEET_SHARD,
          WEB_ENABLE_LIFECYCLE,
          DEMO_HOMESERVERS);
}

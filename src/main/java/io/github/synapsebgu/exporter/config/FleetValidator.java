package io.github.synapsebgu.exporter.config;

import static io.github.synapsebgu.exporter.config.FlagCatalog.CONFIG_CHECK;
import static io.github.synapsebgu.exporter.config.FlagCatalog.CONFIG_FILE;
import static io.github.synapsebgu.exporter.config.FlagCatalog.DATABASE_PASSWORD_FILE;
import static io.github.synapsebgu.exporter.config.FlagCatalog.DATABASE_URL;
import static io.github.synapsebgu.exporter.config.FlagCatalog.DEMO;
import static io.github.synapsebgu.exporter.config.FlagCatalog.DEMO_HOMESERVERS;
import static io.github.synapsebgu.exporter.config.FlagCatalog.FLEET_SHARD;
import static io.github.synapsebgu.exporter.config.FlagCatalog.POLL_INTERVAL;
import static io.github.synapsebgu.exporter.config.FlagCatalog.POLL_STALE_AFTER;
import static io.github.synapsebgu.exporter.config.FlagCatalog.SYNAPSE_METRICS_URL;
import static io.github.synapsebgu.exporter.config.FlagCatalog.SYNAPSE_TLS_CA_FILE;
import static io.github.synapsebgu.exporter.config.FlagCatalog.SYNAPSE_TLS_INSECURE_SKIP_VERIFY;
import static io.github.synapsebgu.exporter.config.FlagCatalog.SYNAPSE_TOKEN_FILE;
import static io.github.synapsebgu.exporter.config.FlagCatalog.SYNAPSE_URL;
import static io.github.synapsebgu.exporter.config.FlagCatalog.WEB_ENABLE_LIFECYCLE;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fleet mode's flags: {@code --config.file} (or {@code --demo.homeservers}) instead of the
 * per-homeserver flags, which are then refused rather than silently ignored. The flags that remain
 * ({@code --synapse.timeout}, {@code --poll.*}, {@code --synapse.tls.*}) are the defaults under the
 * file's {@code defaults:}.
 */
final class FleetValidator {
  private FleetValidator() {}

  /**
   * @return empty without {@code --config.file} and {@code --demo.homeservers}: one homeserver from
   *     the flags, as before
   */
  static Optional<FleetSettings> validate(ServeOptions o, Env env, boolean demo)
      throws ConfigException {
    FleetOptions f = o.fleet;
    Optional<Path> file =
        env.optional(CONFIG_FILE, f.configFile)
            .filter(s -> !s.isBlank())
            .map(s -> Path.of(s.strip()));
    int demoCount = env.value(DEMO_HOMESERVERS, f.demoHomeservers);
    Shard shard = env.value(FLEET_SHARD, f.shard);
    boolean lifecycle = env.value(WEB_ENABLE_LIFECYCLE, f.enableLifecycle);
    if (file.isEmpty() && demoCount == 0) {
      if (env.value(CONFIG_CHECK, f.configCheck)) {
        throw new ConfigException(CONFIG_CHECK.name(), "needs " + CONFIG_FILE.name());
      }
      if (!shard.equals(Shard.ALL)) {
        throw new ConfigException(FLEET_SHARD.name(), "needs " + CONFIG_FILE.name());
      }
      return Optional.empty();
    }
    String mode = file.isPresent() ? CONFIG_FILE.name() : DEMO_HOMESERVERS.name();
    if (file.isPresent() && demoCount > 0) {
      throw new ConfigException(DEMO_HOMESERVERS.name(), "cannot be used with " + mode);
    }
    if (file.isPresent() && demo) {
      throw new ConfigException(
          DEMO.name(),
          "cannot be used with " + mode + " (" + DEMO_HOMESERVERS.name() + " N simulates a fleet)");
    }
    refuse(env, SYNAPSE_URL, o.synapse.synapseUrl, mode, "url");
    refuse(env, SYNAPSE_TOKEN_FILE, o.synapse.synapseTokenFile, mode, "token_file");
    refuse(env, SYNAPSE_METRICS_URL, o.sources.metricsUrl, mode, "metrics_url");
    refuse(env, DATABASE_PASSWORD_FILE, o.sources.passwordFile, mode, "database_password_file");
    String databases = o.sources.databaseUrls.isEmpty() ? null : "given";
    refuse(env, DATABASE_URL, databases, mode, "databases");
    if (env.get(SynapseConfig.TOKEN_ENV) != null) {
      throw new ConfigException(
          SynapseConfig.TOKEN_ENV,
          "cannot be used with " + mode + ": each homeserver's token_file names its token");
    }
    FleetDefaults defaults = defaults(o, env);
    List<FleetHomeserver> initial;
    if (file.isPresent()) {
      try {
        initial = FleetFile.load(file.get(), defaults, shard);
      } catch (FleetFileException e) {
        throw new ConfigException(CONFIG_FILE.name(), e.getMessage());
      }
    } else {
      initial = demoFleet(demoCount, defaults, shard);
    }
    return Optional.of(new FleetSettings(file, defaults, shard, lifecycle, initial));
  }

  /** What the file's homeservers get for the keys they and its defaults: leave out. */
  static FleetDefaults defaults(ServeOptions o, Env env) throws ConfigException {
    return new FleetDefaults(
        SynapseConfig.timeout(o.synapse, env),
        env.value(POLL_INTERVAL, o.pollInterval),
        env.value(POLL_STALE_AFTER, o.staleAfter),
        env.optional(SYNAPSE_TLS_CA_FILE, o.synapse.synapseCaFile),
        env.value(SYNAPSE_TLS_INSECURE_SKIP_VERIFY, o.synapse.synapseInsecure),
        Map.of());
  }

  private static void refuse(Env env, Flag<?> flag, String raw, String mode, String key)
      throws ConfigException {
    String value = env.resolve(flag, raw);
    if (value != null && !value.isBlank()) {
      throw new ConfigException(
          flag.name(),
          "cannot be used with " + mode + ": set " + key + ": per homeserver in the file");
    }
  }

  /**
   * {@code demo-01} ... : homeservers without URL or token, which the daemon points at its
   * simulated homeserver once that runs (as for {@code --demo}).
   */
  static List<FleetHomeserver> demoFleet(int count, FleetDefaults d, Shard shard) {
    int width = Integer.toString(count).length();
    List<FleetHomeserver> out = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      String name = "demo-" + String.format(java.util.Locale.ROOT, "%0" + width + "d", i);
      if (!shard.contains(name)) {
        continue;
      }
      HomeserverSpec spec =
          new HomeserverSpec(
              URI.create("http://demo.invalid/" + name),
              Path.of("(demo)"),
              d.timeout(),
              d.pollInterval(),
              d.staleAfter(),
              Optional.empty(),
              false,
              Optional.empty(),
              List.of(),
              Optional.empty());
      FleetMember member = new FleetMember(name, 0, spec, Map.of("demo", "true"));
      out.add(
          new FleetHomeserver(
              member,
              new HomeserverConfig(
                  name,
                  Optional.empty(),
                  Optional.empty(),
                  d.timeout(),
                  d.pollInterval(),
                  d.staleAfter())));
    }
    return out;
  }
}

package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.http.webconfig.WebConfigSource;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's validated configuration: the process-wide part and the homeservers it watches (one
 * with today's flags). Built only by {@link ConfigValidator}, so every instance is valid.
 */
public record ExporterConfig(
    ServerConfig server, List<HomeserverConfig> homeservers, Optional<FleetSettings> fleet) {
  public ExporterConfig {
    homeservers = List.copyOf(homeservers);
    // A fleet's shard may hold none of the file's homeservers (more replicas than homeservers).
    if (homeservers.isEmpty() && fleet.isEmpty()) {
      throw new IllegalArgumentException("at least one homeserver is needed");
    }
  }

  /** One homeserver from the flags: not fleet mode. */
  public ExporterConfig(ServerConfig server, List<HomeserverConfig> homeservers) {
    this(server, homeservers, Optional.empty());
  }

  /** The homeserver that the metrics listener serves. */
  public HomeserverConfig homeserver() {
    return homeservers.get(0);
  }

  /** One line for the startup log: everything that matters, never the token. */
  public String describe() {
    if (fleet.isPresent()) {
      FleetSettings f = fleet.get();
      return "config_file="
          + f.file().map(Object::toString).orElse("(demo)")
          + " homeservers="
          + homeservers.size()
          + " fleet_shard="
          + f.shard()
          + " web_enable_lifecycle="
          + f.enableLifecycle()
          + " web_listen_address="
          + server.listenAddress()
          + " web_telemetry_path="
          + server.telemetryPath()
          + " web_config_file="
          + server.webConfig().map(WebConfigSource::describe).orElse("(none)")
          + " admin_enabled="
          + server.admin().isPresent()
          + server.admin().map(a -> " " + a.describe()).orElse("");
    }
    HomeserverConfig h = homeserver();
    return "synapse_url="
        + h.synapse().map(SynapseHttpSettings::displayUrl).orElse("(demo)")
        + " token="
        + h.token().map(TokenSource::describe).orElse("(demo)")
        + " synapse_timeout="
        + PromDuration.format(h.timeout())
        + " tls_ca_file="
        + h.synapse().flatMap(SynapseHttpSettings::caFile).map(Object::toString).orElse("(system)")
        + " tls_insecure_skip_verify="
        + h.synapse().map(SynapseHttpSettings::insecureSkipVerify).orElse(false)
        + " poll_interval="
        + PromDuration.format(h.pollInterval())
        + " poll_stale_after="
        + PromDuration.format(h.staleAfter())
        + " web_listen_address="
        + server.listenAddress()
        + " web_telemetry_path="
        + server.telemetryPath()
        + " web_disable_exporter_metrics="
        + server.disableExporterMetrics()
        + " web_config_file="
        + server.webConfig().map(WebConfigSource::describe).orElse("(none)")
        + " admin_enabled="
        + server.admin().isPresent()
        + server.admin().map(a -> " " + a.describe()).orElse("");
  }
}

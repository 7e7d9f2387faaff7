package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.http.webconfig.WebConfigSource;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * The daemon's validated configuration. Built only by {@link ConfigValidator}, so every instance is
 * valid.
 *
 * @param synapse empty in demo mode, where the simulated homeserver's address is only known once it
 *     runs
 * @param token empty in demo mode
 * @param admin empty unless {@code --admin.enabled}
 * @param webConfig the metrics listener's {@code --web.config.file}; empty for plain HTTP
 */
public record ExporterConfig(
    Optional<SynapseHttpSettings> synapse,
    Optional<TokenSource> token,
    Duration synapseTimeout,
    Duration pollInterval,
    Duration staleAfter,
    ListenAddress listenAddress,
    String telemetryPath,
    boolean disableExporterMetrics,
    LogSettings log,
    boolean demo,
    Optional<AdminConfig> admin,
    Optional<WebConfigSource> webConfig) {

  /** One line for the startup log: everything that matters, never the token. */
  public String describe() {
    return "synapse_url="
        + synapse.map(SynapseHttpSettings::displayUrl).orElse("(demo)")
        + " token="
        + token.map(TokenSource::describe).orElse("(demo)")
        + " synapse_timeout="
        + PromDuration.format(synapseTimeout)
        + " tls_ca_file="
        + synapse.flatMap(SynapseHttpSettings::caFile).map(Object::toString).orElse("(system)")
        + " tls_insecure_skip_verify="
        + synapse.map(SynapseHttpSettings::insecureSkipVerify).orElse(false)
        + " poll_interval="
        + PromDuration.format(pollInterval)
        + " poll_stale_after="
        + PromDuration.format(staleAfter)
        + " web_listen_address="
        + listenAddress
        + " web_telemetry_path="
        + telemetryPath
        + " web_disable_exporter_metrics="
        + disableExporterMetrics
        + " web_config_file="
        + webConfig.map(WebConfigSource::describe).orElse("(none)")
        + " admin_enabled="
        + admin.isPresent()
        + admin.map(a -> " " + a.describe()).orElse("");
  }
}

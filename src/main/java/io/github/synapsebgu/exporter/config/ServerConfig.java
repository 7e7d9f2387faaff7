package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.http.webconfig.WebConfigSource;
import java.util.Optional;

/**
 * What the process has once, whatever the number of homeservers: its listeners, logging and the
 * admin API.
 *
 * @param webConfig the metrics listener's {@code --web.config.file}; empty for plain HTTP
 * @param admin empty unless {@code --admin.enabled}
 * @param demo the homeserver is the built-in simulated one, started by the daemon
 */
public record ServerConfig(
    ListenAddress listenAddress,
    String telemetryPath,
    Optional<WebConfigSource> webConfig,
    LogSettings log,
    Optional<AdminConfig> admin,
    boolean disableExporterMetrics,
    boolean demo) {}

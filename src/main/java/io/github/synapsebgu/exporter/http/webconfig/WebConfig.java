package io.github.synapsebgu.exporter.http.webconfig;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A validated exporter-toolkit web configuration: what {@link WebConfigParser} made of one version
 * of the file. Immutable; a reload builds a new one.
 *
 * @param tls empty for plain HTTP
 * @param users user name to bcrypt hash; empty when basic auth is off
 * @param headers extra response headers from {@code http_server_config.headers}
 * @param authExcludedPaths paths served without basic auth (e.g. health probes)
 * @param watchedFiles the files this configuration was read from, for change detection
 */
public record WebConfig(
    Optional<TlsSettings> tls,
    Map<String, String> users,
    Map<String, String> headers,
    Set<String> authExcludedPaths,
    List<Path> watchedFiles) {
  public WebConfig {
    users = Collections.unmodifiableMap(new TreeMap<>(users));
    headers = Collections.unmodifiableMap(new TreeMap<>(headers));
    authExcludedPaths = Set.copyOf(authExcludedPaths);
    watchedFiles = List.copyOf(watchedFiles);
  }

  /**
   * No TLS, no authentication, no extra headers: what an absent {@code --web.config.file} means.
   */
  public static WebConfig open() {
    return new WebConfig(Optional.empty(), Map.of(), Map.of(), Set.of(), List.of());
  }

  public boolean basicAuth() {
    return !users.isEmpty();
  }

  @Override
  public String toString() {
    // Hashes stay out of logs: they can be attacked offline.
    return "WebConfig[tls="
        + tls.map(TlsSettings::toString).orElse("off")
        + ", users="
        + users.keySet()
        + ", headers="
        + headers.keySet()
        + "]";
  }
}

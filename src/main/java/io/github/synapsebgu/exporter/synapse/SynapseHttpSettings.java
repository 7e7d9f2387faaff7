package io.github.synapsebgu.exporter.synapse;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Synapse.
 *
 * @param baseUrl the homeserver's base URL, possibly with a reverse-proxy path prefix; no trailing
 *     slash
 * @param timeout the whole-request deadline, including a body that drips slowly
 */
public record SynapseHttpSettings(
    URI baseUrl, Duration timeout, Optional<Path> caFile, boolean insecureSkipVerify) {
  public SynapseHttpSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(caFile, "caFile");
  }

  /** The base URL without user info, query or fragment: safe for logs and the landing page. */
  public String displayUrl() {
    return baseUrl.getScheme()
        + "://"
        + baseUrl.getRawAuthority().replaceFirst("^.*@", "")
        + Objects.requireNonNullElse(baseUrl.getRawPath(), "");
  }
}

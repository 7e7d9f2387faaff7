package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.source.database.DatabaseUrl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One homeserver of the {@code --config.file} as written, defaults applied: plain values, equal
 * when the file says the same thing, so a reload can tell an unchanged homeserver (which keeps its
 * state) from a changed one. Files are named, not read: {@link FleetFile} opens them.
 */
public record HomeserverSpec(
    URI url,
    Path tokenFile,
    Duration timeout,
    Duration pollInterval,
    Duration staleAfter,
    Optional<Path> caFile,
    boolean insecureSkipVerify,
    Optional<URI> metricsUrl,
    List<DatabaseUrl> databases,
    Optional<Path> databasePasswordFile) {
  public HomeserverSpec {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(tokenFile, "tokenFile");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(metricsUrl, "metricsUrl");
    databases = List.copyOf(databases);
    Objects.requireNonNull(databasePasswordFile, "databasePasswordFile");
  }
}

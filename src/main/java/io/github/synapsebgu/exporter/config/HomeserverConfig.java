package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One homeserver to watch: where it is, how to authenticate, and how to poll it. Other sources of
 * the same homeserver (its metrics endpoint, its database) get their settings here too.
 *
 * @param name how the exporter refers to it internally (never a label: today's metrics have none)
 * @param synapse empty for the demo homeserver, whose address is known only once it runs; see
 *     {@link #at}
 * @param token empty for the demo homeserver
 * @param timeout the deadline of one request to it
 * @param sources its optional sources besides the admin API (metrics endpoint, databases)
 */
public record HomeserverConfig(
    String name,
    Optional<SynapseHttpSettings> synapse,
    Optional<TokenSource> token,
    Duration timeout,
    Duration pollInterval,
    Duration staleAfter,
    SourcesConfig sources) {
  /** The name of the one homeserver today's flags describe. */
  public static final String DEFAULT_NAME = "default";

  public HomeserverConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(synapse, "synapse");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(sources, "sources");
  }

  /** A homeserver watched through its admin API alone. */
  public HomeserverConfig(
      String name,
      Optional<SynapseHttpSettings> synapse,
      Optional<TokenSource> token,
      Duration timeout,
      Duration pollInterval,
      Duration staleAfter) {
    this(name, synapse, token, timeout, pollInterval, staleAfter, SourcesConfig.NONE);
  }

  /** This homeserver found at {@code url} with {@code token}: the demo one, once it runs. */
  public HomeserverConfig at(SynapseHttpSettings url, TokenSource token) {
    return new HomeserverConfig(
        name, Optional.of(url), Optional.of(token), timeout, pollInterval, staleAfter, sources);
  }
}

package io.github.synapsebgu.exporter.config;

import static io.github.synapsebgu.exporter.config.FlagCatalog.DATABASE_PASSWORD_FILE;
import static io.github.synapsebgu.exporter.config.FlagCatalog.DATABASE_URL;
import static io.github.synapsebgu.exporter.config.FlagCatalog.SYNAPSE_METRICS_URL;

import io.github.synapsebgu.exporter.source.database.DatabaseUrl;
import io.github.synapsebgu.exporter.source.database.DatabaseUrlParser;
import io.github.synapsebgu.exporter.source.database.PasswordFile;
import io.github.synapsebgu.exporter.source.metrics.SynapseMetricsReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The optional sources of one homeserver besides its admin API: Synapse's metrics endpoint and its
 * databases. Without them the exporter works from the admin API alone, as before.
 *
 * @param metricsUrl Synapse's own metrics endpoint (the main process's)
 * @param databases one per database of Synapse's {@code databases:} config, names unique
 * @param passwordFile the PostgreSQL password, for every PostgreSQL database
 */
public record SourcesConfig(
    Optional<URI> metricsUrl, List<DatabaseUrl> databases, Optional<PasswordFile> passwordFile) {
  public static final SourcesConfig NONE =
      new SourcesConfig(Optional.empty(), List.of(), Optional.empty());

  public SourcesConfig {
    Objects.requireNonNull(metricsUrl, "metricsUrl");
    databases = List.copyOf(databases);
    Objects.requireNonNull(passwordFile, "passwordFile");
  }

  /** Whether any source besides the admin API is configured. */
  public boolean any() {
    return metricsUrl.isPresent() || !databases.isEmpty();
  }

  /** The reader's own check of the URL, as a flag's parser. */
  static ValueParser<URI> metricsUrlParser() {
    return (flag, raw) -> {
      try {
        return SynapseMetricsReader.checkedUrl(raw.strip());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(flag, e.getMessage());
      }
    };
  }

  /** The reader's own parser, as a flag's; its messages never repeat the value (a password). */
  static ValueParser<DatabaseUrl> databaseUrlParser() {
    return (flag, raw) -> {
      try {
        return DatabaseUrlParser.parse(raw);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(flag, e.getMessage());
      }
    };
  }

  /**
   * The flags as given, else their variables: {@code DATABASE_URL} holds one or more URLs separated
   * by whitespace (no URL form accepted has a space in it; a comma can be in a file name).
   */
  public static SourcesConfig validate(SourceOptions o, Env env) throws ConfigException {
    Optional<URI> metricsUrl = env.optional(SYNAPSE_METRICS_URL, o.metricsUrl);
    List<String> raw = new ArrayList<>(o.databaseUrls);
    if (raw.isEmpty()) {
      String fromEnv = env.resolve(DATABASE_URL, null);
      if (fromEnv != null && !fromEnv.isBlank()) {
        raw.addAll(List.of(fromEnv.strip().split("\\s+")));
      }
    }
    List<DatabaseUrl> databases = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String value : raw) {
      DatabaseUrl url = DATABASE_URL.parse(value);
      if (!names.add(url.name())) {
        throw new ConfigException(
            DATABASE_URL.name(),
            "the database "
                + url.name()
                + " is given twice (name the others NAME=URL, as in Synapse's databases: config)");
      }
      databases.add(url);
    }
    Optional<Path> passwordPath = env.optional(DATABASE_PASSWORD_FILE, o.passwordFile);
    Optional<PasswordFile> passwordFile = Optional.empty();
    if (passwordPath.isPresent()) {
      if (databases.stream().noneMatch(d -> d instanceof DatabaseUrl.Postgres)) {
        throw new ConfigException(
            DATABASE_PASSWORD_FILE.name(), "needs a postgresql:// " + DATABASE_URL.name());
      }
      try {
        passwordFile = Optional.of(PasswordFile.open(passwordPath.get()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(DATABASE_PASSWORD_FILE.name(), e.getMessage());
      }
    }
    return new SourcesConfig(metricsUrl, databases, passwordFile);
  }
}

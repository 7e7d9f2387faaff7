package io.github.synapsebgu.exporter.config;

import io.github.synapsebgu.exporter.config.FlagCatalog.Names;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The optional sources besides the admin API (issue 13) as typed: Synapse's metrics endpoint and
 * its database. {@link SourcesConfig#validate} checks them. Each flag is declared in {@link
 * FlagCatalog}, which also gives its help text.
 */
public final class SourceOptions {
  @Option(names = Names.SYNAPSE_METRICS_URL, paramLabel = "URL")
  public String metricsUrl;

  /** Repeatable: one per database of Synapse's {@code databases:} config. */
  @Option(names = Names.DATABASE_URL, paramLabel = "[NAME=]URL")
  public List<String> databaseUrls = new ArrayList<>();

  @Option(names = Names.DATABASE_PASSWORD_FILE, paramLabel = "FILE")
  public String passwordFile;
}

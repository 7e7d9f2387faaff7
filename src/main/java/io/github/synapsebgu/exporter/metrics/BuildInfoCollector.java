package io.github.synapsebgu.exporter.metrics;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.scrape.PerPollCollector;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** {@code synapse_bgu_exporter_build_info{version,revision,java_version} 1}. */
public final class BuildInfoCollector implements PerPollCollector {
  private final MetricSnapshots snapshot;

  public BuildInfoCollector(BuildInfo info) {
    // Built once: nothing in it changes while the process runs.
    this.snapshot =
        MetricSnapshots.of(
            InfoSnapshot.builder()
                .name("synapse_bgu_exporter_build")
                .help(
                    "Version of synapse-bgu-exporter and of the Java runtime it runs on; always 1.")
                .dataPoint(
                    InfoSnapshot.InfoDataPointSnapshot.builder()
                        .labels(
                            Labels.of(
                                "version", info.version(),
                                "revision", info.revision(),
                                "java_version", info.javaVersion()))
                        .build())
                .build());
  }

  @Override
  public MetricSnapshots collect() {
    return snapshot;
  }

  /** Never changes. */
  @Override
  public Object cacheKey() {
    return "build info";
  }
}

package io.github.synapsebgu.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Catches a Java client upgrade that adds a JVM metrics module we would silently leave out. */
class JvmRuntimeMetricsTest {
  private static Set<String> names(PrometheusRegistry registry) {
    Set<String> names = new TreeSet<>();
    for (MetricSnapshot s : registry.scrape()) {
      names.add(s.getMetadata().getPrometheusName());
    }
    return names;
  }

  @Test
  void exportsTheSameSeriesAsTheJavaClientsJvmMetrics() {
    assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
        .as("this comparison assumes Native Memory Tracking is off in the test JVM")
        .noneMatch(arg -> arg.startsWith("-XX:NativeMemoryTracking=s"))
        .noneMatch(arg -> arg.startsWith("-XX:NativeMemoryTracking=d"));
    PrometheusRegistry ours = new PrometheusRegistry();
    JvmRuntimeMetrics.register(ours);
    PrometheusRegistry theirs = new PrometheusRegistry();
    JvmMetrics.builder().register(theirs);
    assertThat(names(ours)).isNotEmpty().isEqualTo(names(theirs));
  }
}

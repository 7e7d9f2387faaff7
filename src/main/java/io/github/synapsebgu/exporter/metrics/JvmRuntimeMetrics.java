package io.github.synapsebgu.exporter.metrics;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;

/**
 * The Java client's JVM and process metrics, as {@code JvmMetrics.builder().register()} registers
 * them, except that the native-memory module is only registered when Native Memory Tracking is on.
 * Without it that module exports nothing, yet asking costs the JMX platform server and about 250
 * classes: 2 MiB of memory and startup time for no series.
 */
public final class JvmRuntimeMetrics {
  private JvmRuntimeMetrics() {}

  public static void register(PrometheusRegistry registry) {
    PrometheusProperties config = PrometheusProperties.get();
    JvmThreadsMetrics.builder(config).register(registry);
    JvmBufferPoolMetrics.builder(config).register(registry);
    JvmClassLoadingMetrics.builder(config).register(registry);
    JvmCompilationMetrics.builder(config).register(registry);
    JvmGarbageCollectorMetrics.builder(config).register(registry);
    JvmMemoryPoolAllocationMetrics.builder(config).register(registry);
    JvmMemoryMetrics.builder(config).register(registry);
    if (nativeMemoryTracking()) {
      JvmNativeMemoryMetrics.builder(config).register(registry);
    }
    JvmRuntimeInfoMetric.builder(config).register(registry);
    ProcessMetrics.builder(config).register(registry);
  }

  /** Whether the JVM runs with -XX:NativeMemoryTracking=summary or detail. */
  static boolean nativeMemoryTracking() {
    try {
      String mode =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
              .getVMOption("NativeMemoryTracking")
              .getValue();
      return !"off".equals(mode);
    } catch (RuntimeException e) {
      return true; // not HotSpot, or no such option: let the module decide for itself
    }
  }
}

package io.github.synapsebgu.exporter.metrics;

import io.github.synapsebgu.exporter.scrape.PerPollCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A registry's metrics, collected at most once per period and shared by the scrapes in between. For
 * the JVM and process metrics: collecting them takes about half a millisecond (thread states and
 * deadlock detection stop the JVM at a safepoint), thirty times a cached scrape of our own series,
 * so a burst of scrapes would otherwise spend its CPU there. Within a second they barely move;
 * Prometheus scrapes far less often.
 */
public final class SampledCollector implements PerPollCollector {
  private final PrometheusRegistry source;
  private final long periodNanos;
  private final LongSupplier nanoTime;
  private volatile Sample last;

  public SampledCollector(PrometheusRegistry source, Duration period) {
    this(source, period, System::nanoTime);
  }

  SampledCollector(PrometheusRegistry source, Duration period, LongSupplier nanoTime) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    this.source = source;
    this.periodNanos = period.toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  public MetricSnapshots collect() {
    return current().metrics();
  }

  /**
   * Changes when, and only when, {@link #collect()} would return a new sample (taking one if the
   * last is older than the period): /metrics writes this collector's output once per key.
   */
  @Override
  public Object cacheKey() {
    return current();
  }

  private Sample current() {
    Sample sample = last;
    long now = nanoTime.getAsLong();
    if (sample != null && now - sample.takenNanos() < periodNanos) {
      return sample;
    }
    // One collection at a time: concurrent scrapes at the end of a period wait for it rather than
    // all collecting.
    synchronized (this) {
      sample = last;
      now = nanoTime.getAsLong();
      if (sample == null || now - sample.takenNanos() >= periodNanos) {
        sample = new Sample(now, source.scrape());
        last = sample;
      }
      return sample;
    }
  }

  private record Sample(long takenNanos, MetricSnapshots metrics) {}
}

package io.github.synapsebgu.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SampledCollectorTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final AtomicLong collections = new AtomicLong();

  /** A source whose value is the number of times it was collected. */
  private SampledCollector sampled(Duration period) {
    PrometheusRegistry source = new PrometheusRegistry();
    source.register(
        (MultiCollector)
            () ->
                new MetricSnapshots(
                    CounterSnapshot.builder()
                        .name("collections")
                        .help("Times collected.")
                        .dataPoint(
                            CounterDataPointSnapshot.builder()
                                .value(collections.incrementAndGet())
                                .build())
                        .build()));
    return new SampledCollector(source, period, now::get);
  }

  private static double value(MetricSnapshots snapshots) {
    return ((CounterSnapshot) snapshots.get(0)).getDataPoints().get(0).getValue();
  }

  @Test
  void scrapesWithinAPeriodShareOneCollection() {
    SampledCollector collector = sampled(Duration.ofSeconds(1));
    assertThat(value(collector.collect())).isEqualTo(1);
    now.addAndGet(999_999_999L);
    assertThat(value(collector.collect())).isEqualTo(1);
    assertThat(collections).hasValue(1);
  }

  @Test
  void aScrapeAfterThePeriodCollectsAgain() {
    SampledCollector collector = sampled(Duration.ofSeconds(1));
    collector.collect();
    now.addAndGet(1_000_000_000L);
    assertThat(value(collector.collect())).isEqualTo(2);
    now.addAndGet(5_000_000_000L);
    assertThat(value(collector.collect())).isEqualTo(3);
  }

  @Test
  void theCacheKeyChangesExactlyWhenANewSampleIsTaken() {
    SampledCollector collector = sampled(Duration.ofSeconds(1));
    Object first = collector.cacheKey();
    assertThat(collections).hasValue(1);
    assertThat(collector.cacheKey()).isEqualTo(first);
    collector.collect();
    assertThat(collector.cacheKey()).isEqualTo(first);
    now.addAndGet(1_000_000_000L);
    Object second = collector.cacheKey();
    assertThat(second).isNotEqualTo(first);
    assertThat(value(collector.collect())).isEqualTo(2);
    assertThat(collector.cacheKey()).isEqualTo(second);
  }

  @Test
  void nameFiltersStillApply() {
    SampledCollector collector = sampled(Duration.ofSeconds(1));
    assertThat(collector.collect(name -> !name.equals("collections"))).isEmpty();
    assertThat(collector.collect(name -> name.equals("collections"))).hasSize(1);
  }

  @Test
  void refusesAPeriodThatIsNotPositive() {
    assertThatThrownBy(() -> sampled(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("period");
  }
}

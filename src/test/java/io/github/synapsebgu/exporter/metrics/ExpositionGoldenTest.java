package io.github.synapsebgu.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.poll.TrackedUpdate;
import io.github.synapsebgu.exporter.source.Reason;
import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import io.github.synapsebgu.exporter.synapse.FailureReason;
import io.github.synapsebgu.exporter.testing.MutableClock;
import io.github.synapsebgu.exporter.testing.Promtool;
import io.github.synapsebgu.exporter.testing.Wire;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exposition of a fixed snapshot, byte for byte, as served over HTTP. Regenerate after an
 * intended change with {@code mvn test -Dtest=ExpositionGoldenTest -Dgolden.update=true} and review
 * the diff.
 */
class ExpositionGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/metrics.txt");
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  private WebServer server;

  private static PollSnapshot snapshot() {
    long now = NOW.toEpochMilli();
    return new PollSnapshot(
        true,
        true,
        Optional.of(true),
        List.of(
            new TrackedUpdate(
                "main",
                new CurrentUpdate(
                    "populate_stats_process_rooms",
                    12,
                    19.0,
                    OptionalDouble.of(0.6357220412595005)),
                now - 4_000),
            new TrackedUpdate(
                "state",
                new CurrentUpdate(
                    "state_group_state_deduplication", 0, 0.0, OptionalDouble.empty()),
                now - 60_000)),
        now,
        0.0125,
        Optional.empty(),
        42,
        counts(Map.of(FailureReason.TIMEOUT, 2L, FailureReason.SERVER_ERROR, 1L)));
  }

  /** Every reason, as the poller counts them: from zero. */
  private static Map<Reason, Long> counts(Map<FailureReason, Long> nonZero) {
    Map<Reason, Long> counts = new LinkedHashMap<>();
    for (FailureReason r : FailureReason.values()) {
      counts.put(r, nonZero.getOrDefault(r, 0L));
    }
    return counts;
  }

  @BeforeEach
  void start() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    PollSnapshot s = snapshot();
    registry.register(
        new BackgroundUpdatesCollector(() -> s, new MutableClock(NOW), Duration.ofMinutes(5)));
    registry.register(new PollHealthCollector(() -> s));
    registry.register(new BuildInfoCollector(new BuildInfo("0.1.0", "0123456789ab", "17.0.15")));
    server =
        WebServer.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .route("/metrics", new MetricsHandler(PrometheusProperties.get(), registry))
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String scrape() throws Exception {
    return Wire.get(URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics"))
        .body();
  }

  @Test
  void matchesTheGoldenFile() throws Exception {
    String actual = scrape();
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
  }

  @Test
  void passesPromtoolCheckMetrics() throws Exception {
    Promtool.Result r = Promtool.checkMetrics(scrape());
    assertThat(r.output()).as("promtool output").isEmpty();
    assertThat(r.exitCode()).isZero();
  }
}

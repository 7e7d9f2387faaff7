package io.github.synapsebgu.exporter.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.reliability.ExporterUnderTest.Scrape;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.SynapseBodies.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A homeserver with 1,000 databases: every one on /metrics, correct, and quickly. */
class ManyDatabasesTest {
  static final int DATABASES = 1000;

  /** Database {@code db<i>} runs {@code update_<i % 7>}; every tenth has no rate yet. */
  static void runOnEveryDatabase(FakeSynapse synapse) {
    synapse.finish("master");
    for (int i = 0; i < DATABASES; i++) {
      synapse.running(
          new Update(
              "db" + i, "update_" + (i % 7), i * 10, i * 1000.0, i % 10 == 0 ? null : i / 100.0));
    }
  }

  @Test
  void aThousandDatabasesAreAllExportedCorrectlyAndPromptly() throws Exception {
    try (FakeSynapse synapse = FakeSynapse.start();
        ExporterUnderTest exporter = ExporterUnderTest.start(synapse.url(), Map.of())) {
      runOnEveryDatabase(synapse);
      long pollStart = System.nanoTime();
      assertThat(exporter.pollNow().up()).isTrue();
      long pollMillis = (System.nanoTime() - pollStart) / 1_000_000;

      exporter.scrape(); // warm
      List<Long> millis = new ArrayList<>();
      Scrape s = null;
      for (int i = 0; i < 10; i++) {
        s = exporter.scrape();
        millis.add(s.millis());
      }
      System.out.printf(
          "databases=%d poll_ms=%d body_bytes=%d scrape_ms=%s%n",
          DATABASES, pollMillis, s.body().length(), millis);

      Map<String, Double> samples = s.samples();
      assertThat(s.value("synapse_background_updates_in_progress")).isEqualTo(DATABASES);
      for (int i = 0; i < DATABASES; i++) {
        String labels = "{database=\"db" + i + "\",update=\"update_" + (i % 7) + "\"}";
        assertThat(samples.get("synapse_background_update_items_processed" + labels))
            .as("db%d items", i)
            .isEqualTo(i * 10.0);
        assertThat(samples.get("synapse_background_update_duration_seconds" + labels))
            .as("db%d duration", i)
            .isEqualTo((double) i);
        if (i % 10 == 0) {
          assertThat(samples)
              .doesNotContainKey("synapse_background_update_items_per_second" + labels);
        } else {
          assertThat(samples.get("synapse_background_update_items_per_second" + labels))
              .as("db%d rate", i)
              .isCloseTo(i / 100.0 * 1000, org.assertj.core.data.Offset.offset(1e-6));
        }
      }
      assertThat(
              samples.keySet().stream()
                  .filter(k -> k.startsWith("synapse_background_update_items_processed{")))
          .hasSize(DATABASES);
      assertThat(millis).allMatch(ms -> ms < 1000);
    }
  }
}

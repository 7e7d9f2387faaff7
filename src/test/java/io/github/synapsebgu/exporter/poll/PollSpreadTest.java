package io.github.synapsebgu.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollSpreadTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);

  @Test
  void the_offset_is_stable_for_a_name_and_within_the_interval() {
    for (int i = 0; i < 10_000; i++) {
      Duration offset = PollSpread.offset("hs-" + i, INTERVAL);
      assertThat(offset).isEqualTo(PollSpread.offset("hs-" + i, INTERVAL));
      assertThat(offset).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(INTERVAL);
    }
    // Fixed across runs and replicas: derived from the name only.
    assertThat(PollSpread.offset("example-org", INTERVAL))
        .isEqualTo(PollSpread.offset("example-org", Duration.ofSeconds(30)));
  }

  @Test
  void names_that_differ_by_one_character_spread_over_the_whole_interval() {
    int[] buckets = new int[10];
    for (int i = 0; i < 10_000; i++) {
      long millis = PollSpread.offset("hs-" + i, INTERVAL).toMillis();
      buckets[(int) (millis * 10 / INTERVAL.toMillis())]++;
    }
    for (int count : buckets) {
      assertThat(count).isBetween(800, 1200); // 1,000 each if uniform
    }
  }

  @Test
  void a_zero_interval_gives_no_offset() {
    assertThat(PollSpread.offset("hs", Duration.ZERO)).isZero();
  }
}

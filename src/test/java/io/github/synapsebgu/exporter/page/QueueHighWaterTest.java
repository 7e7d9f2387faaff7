package io.github.synapsebgu.exporter.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueHighWaterTest {
  private final QueueHighWater high = new QueueHighWater();

  private OptionalLong seen(String hs, long pending) {
    return high.doneSinceFirstSeen(hs, "master", OptionalLong.of(pending));
  }

  @Test
  void counts_what_finished_since_the_largest_queue_seen() {
    assertThat(seen("a", 10)).hasValue(0);
    assertThat(seen("a", 7)).hasValue(3);
    assertThat(seen("a", 4)).hasValue(6);
    assertThat(seen("b", 2)).hasValue(0); // each homeserver its own
  }

  @Test
  void an_empty_queue_starts_the_next_upgrade_from_its_own_size() {
    seen("a", 10);
    assertThat(seen("a", 0)).isEmpty();
    assertThat(seen("a", 3)).hasValue(0);
    assertThat(seen("a", 1)).hasValue(2);
  }

  @Test
  void unknown_counts_show_nothing_and_removed_homeservers_are_forgotten() {
    assertThat(high.doneSinceFirstSeen("a", "master", OptionalLong.empty())).isEmpty();
    seen("a", 10);
    high.retain(Set.of("b"));
    assertThat(seen("a", 4)).hasValue(0);
  }
}

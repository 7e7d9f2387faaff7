package io.github.synapsebgu.exporter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.synapse.StatusParser;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class DemoScriptTest {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private static StatusResponse at(double seconds) throws Exception {
    return StatusParser.parse(MAPPER.writeValueAsBytes(DemoScript.statusAt(seconds)));
  }

  @Test
  void everyMomentOfTheCycleIsAValidSynapseAnswer() throws Exception {
    for (double t = 0; t < 2 * DemoScript.CYCLE_SECONDS; t += 0.5) {
      at(t); // throws on any shape Synapse would not send
    }
  }

  @Test
  void walksThroughEveryStateAnOperatorShouldSee() throws Exception {
    assertThat(at(2).currentUpdates()).isEmpty();
    var fresh = at(12).currentUpdates().get("master");
    assertThat(fresh.averageItemsPerMs()).isEmpty();
    assertThat(fresh.totalItemCount()).isZero();
    var both = at(40);
    assertThat(both.currentUpdates()).containsOnlyKeys("master", "state");
    assertThat(both.currentUpdates().get("master").averageItemsPerMs()).isPresent();
    assertThat(both.currentUpdates().get("master").totalItemCount()).isPositive();
    assertThat(at(80).currentUpdates().get("master").totalItemCount()).isZero(); // an index build
    StatusResponse paused = at(140);
    assertThat(paused.enabled()).isFalse();
    assertThat(paused.currentUpdates()).isNotEmpty();
    assertThat(at(220).currentUpdates()).isEmpty();
    assertThat(at(DemoScript.CYCLE_SECONDS + 40)).isEqualTo(both);
  }

  @Test
  void itemsDoNotGrowWhilePaused() throws Exception {
    long before = at(131).currentUpdates().get("master").totalItemCount();
    long after = at(149).currentUpdates().get("master").totalItemCount();
    assertThat(after).isEqualTo(before);
    assertThat(at(160).currentUpdates().get("master").totalItemCount()).isGreaterThan(before);
  }
}

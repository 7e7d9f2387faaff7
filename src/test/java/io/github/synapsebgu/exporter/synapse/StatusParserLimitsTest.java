package io.github.synapsebgu.exporter.synapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What the parser refuses because Synapse could never send it and exporting it would cost memory or
 * show a non-finite value (issue 14, items 1 and 7).
 */
class StatusParserLimitsTest {
  private static StatusResponse parse(String json) throws InvalidResponseException {
    return StatusParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String one(String database, String name, String rate) {
    return "{\"enabled\":true,\"current_updates\":{\""
        + database
        + "\":{\"name\":\""
        + name
        + "\",\"total_item_count\":1,\"total_duration_ms\":2.0,\"average_items_per_ms\":"
        + rate
        + "}}}";
  }

  static String databases(int count) {
    StringBuilder b = new StringBuilder("{\"enabled\":true,\"current_updates\":{");
    for (int i = 0; i < count; i++) {
      b.append(i == 0 ? "" : ",")
          .append("\"db")
          .append(i)
          .append("\":{\"name\":\"x\",\"total_item_count\":1,\"total_duration_ms\":2.0,")
          .append("\"average_items_per_ms\":null}");
    }
    return b.append("}}").toString();
  }

  @Test
  void a_rate_whose_value_per_second_is_infinite_is_an_invalid_response() {
    assertThatThrownBy(() -> parse(one("master", "x", "1e308")))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessage(
            "current_updates[\"master\"].average_items_per_ms is too large to export per second:"
                + " 1.0E308");
  }

  @Test
  void the_largest_rate_that_stays_finite_per_second_is_accepted() throws Exception {
    double perMs = Double.MAX_VALUE / 1000;
    StatusResponse r = parse(one("master", "x", Double.toString(perMs)));

    assertThat(r.currentUpdates().get("master").itemsPerSecond().getAsDouble()).isFinite();
  }

  @Test
  void conversions_are_the_ones_every_output_shows() throws Exception {
    CurrentUpdate u = parse(one("master", "x", "0.5")).currentUpdates().get("master");

    assertThat(u.itemsPerSecond().getAsDouble()).isEqualTo(500.0);
    assertThat(u.durationSeconds()).isEqualTo(0.002);
    assertThat(parse(one("master", "x", "null")).currentUpdates().get("master").itemsPerSecond())
        .isEmpty();
  }

  @Test
  void an_update_name_longer_than_synapse_ever_sends_is_refused_without_quoting_it_whole() {
    String name = "u".repeat(900_000);

    assertThatThrownBy(() -> parse(one("master", name, "null")))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageStartingWith(
            "current_updates[\"master\"].name is 900000 characters long, more than the 128"
                + " accepted")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }

  @Test
  void a_database_name_longer_than_synapse_ever_sends_is_refused() {
    assertThatThrownBy(() -> parse(one("d".repeat(129), "x", "null")))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageStartingWith(
            "a database name in current_updates is 129 characters long, more than the 128");
  }

  @Test
  void names_at_the_limit_are_accepted() throws Exception {
    String name = "n".repeat(StatusParser.MAX_NAME_CHARS);

    assertThat(parse(one(name, name, "null")).currentUpdates().get(name).name()).isEqualTo(name);
  }

  @Test
  void more_databases_than_synapse_can_have_are_refused() throws Exception {
    assertThat(parse(databases(StatusParser.MAX_DATABASES)).currentUpdates())
        .hasSize(StatusParser.MAX_DATABASES);
    assertThatThrownBy(() -> parse(databases(StatusParser.MAX_DATABASES + 1)))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessage("current_updates lists more than 1000 databases");
  }
}

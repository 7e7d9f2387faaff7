package io.github.synapsebgu.exporter.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.page.HomeserverView.DatabaseView;
import io.github.synapsebgu.exporter.page.HomeserverView.IndexProgress;
import io.github.synapsebgu.exporter.page.HomeserverView.Queued;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What only PostgreSQL reports (index builds) rendered from a view, without a database. */
class SingleViewTest {
  @Test
  void an_index_build_shows_a_bar_per_known_fraction_and_its_phase_as_text() {
    IndexProgress build =
        new IndexProgress(
            "event_search_fix",
            "event_search_idx",
            "event_search",
            "building index: <scanning table>",
            OptionalDouble.of(250),
            OptionalDouble.of(1000),
            OptionalDouble.empty(),
            OptionalDouble.empty());
    HomeserverView v = running(OptionalLong.of(1), List.of(), List.of(build));
    Html h = new Html(1024);
    SingleView.render(h, v, 1_700_000_000_000L);
    assertThat(h.toString())
        .contains("building index: &lt;scanning table&gt;")
        .contains(
            "Blocks of event_search_idx: 250 of 1,000 (25%)<progress max=\"1000.0\""
                + " value=\"250.0\">")
        .doesNotContain("Tuples of"); // no total known: no bar
  }

  @Test
  void the_queue_shows_the_schema_version_an_update_came_with_not_its_ordering() {
    HomeserverView v =
        new HomeserverView(
            "hs",
            FleetState.RUNNING,
            true,
            true,
            Optional.of(true),
            OptionalDouble.empty(),
            1.7e9,
            0.05,
            List.of(),
            List.of(),
            List.of(
                new DatabaseView(
                    "main",
                    Optional.of("running"),
                    Optional.empty(),
                    OptionalLong.of(2),
                    OptionalLong.of(0),
                    OptionalLong.of(92),
                    List.of(
                        new Queued(
                            0, "from_schema_91", 9101, Optional.empty(), OptionalDouble.empty()),
                        new Queued(
                            1, "started_by_hand", 0, Optional.empty(), OptionalDouble.empty())),
                    List.of())));
    Html h = new Html(1024);
    SingleView.render(h, v, 1_700_000_000_000L);
    assertThat(h.toString())
        .contains("<td class=\"num\" data-value=\"91.0\">91</td>")
        .doesNotContain("9101")
        .contains("started_by_hand</code></th><td>–</td><td class=\"num\">–</td>");
  }

  /** A running homeserver with one database, "main", at schema 92. */
  private static HomeserverView running(
      OptionalLong pending, List<Queued> queue, List<IndexProgress> builds) {
    return new HomeserverView(
        "hs",
        FleetState.RUNNING,
        true,
        true,
        Optional.of(true),
        OptionalDouble.empty(),
        1.7e9,
        0.05,
        List.of(),
        List.of(),
        List.of(
            new DatabaseView(
                "main",
                Optional.of("running"),
                Optional.empty(),
                pending,
                OptionalLong.of(0),
                OptionalLong.of(92),
                queue,
                builds)));
  }
}

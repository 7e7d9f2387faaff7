package io.github.synapsebgu.exporter.source.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class UpdateQueueTest {
  private static UpdateQueue.Row row(String name, long ordering, String dependsOn) {
    return new UpdateQueue.Row(name, ordering, dependsOn, OptionalLong.empty());
  }

  private static List<String> names(List<QueuedUpdate> queue) {
    return queue.stream().map(QueuedUpdate::name).toList();
  }

  @Test
  void without_dependencies_the_table_order_is_the_run_order() {
    List<QueuedUpdate> queue = UpdateQueue.order(List.of(row("a", 1, null), row("b", 2, null)));
    assertThat(names(queue)).containsExactly("a", "b");
    assertThat(queue).extracting(QueuedUpdate::position).containsExactly(0, 1);
  }

  @Test
  void an_update_waits_for_the_one_it_depends_on_even_when_it_sorts_first() {
    List<QueuedUpdate> queue =
        UpdateQueue.order(
            List.of(
                row("a_second", 5, "z_first"), row("m_free", 6, null), row("z_first", 7, null)));
    // Synapse takes m_free before z_first: it is the first row whose dependency is met.
    assertThat(names(queue)).containsExactly("m_free", "z_first", "a_second");
  }

  @Test
  void a_dependency_no_longer_in_the_table_is_met() {
    List<QueuedUpdate> queue = UpdateQueue.order(List.of(row("b", 1, "gone"), row("c", 2, null)));
    assertThat(names(queue)).containsExactly("b", "c");
    assertThat(queue.get(0).dependsOn()).hasValue("gone");
  }

  @Test
  void a_chain_runs_link_by_link_and_interleaves_with_free_updates() {
    List<QueuedUpdate> queue =
        UpdateQueue.order(
            List.of(
                row("c3", 0, "c2"), row("c1", 0, null), row("c2", 0, "c1"), row("free", 0, null)));
    // After c1 runs, c2 is free and sorts before "free" (c2 < free): Synapse re-reads every time.
    assertThat(names(queue)).containsExactly("c1", "c2", "c3", "free");
  }

  @Test
  void a_cycle_is_kept_visible_in_table_order_instead_of_lost() {
    List<QueuedUpdate> queue = UpdateQueue.order(List.of(row("x", 1, "y"), row("y", 2, "x")));
    assertThat(names(queue)).containsExactly("x", "y");
  }

  @Test
  void an_empty_table_is_an_empty_queue() {
    assertThat(UpdateQueue.order(List.of())).isEmpty();
  }
}

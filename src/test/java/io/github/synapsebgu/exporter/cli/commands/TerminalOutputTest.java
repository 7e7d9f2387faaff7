package io.github.synapsebgu.exporter.cli.commands;

import static io.github.synapsebgu.exporter.testing.SynapseAnswers.idle;
import static io.github.synapsebgu.exporter.testing.SynapseAnswers.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Names and error texts come from Synapse (or whoever answers at its URL): the commands print their
 * control characters as visible escapes, so they cannot move the cursor, clear the screen, retitle
 * the window or forge a line.
 */
class TerminalOutputTest {
  @RegisterExtension static final FakeSynapse synapse = FakeSynapse.start();

  // JSON escapes: ESC [2J clears the screen, ESC ]0;...BEL retitles the window, CR LF forges a
  // line.
  static final String DB_JSON = "ma\\u001b[2Jster";
  static final String UPDATE_JSON =
      "evil\\u001b]0;pwned\\u0007\\r\\nDone: all done, safe to upgrade\\u202e\\u0085";
  static final String DB_SHOWN = "ma\\x1b[2Jster";
  static final String UPDATE_SHOWN =
      "evil\\x1b]0;pwned\\x07\\r\\nDone: all done, safe to upgrade\\u202e\\x85";

  private final Cli cli = new Cli();

  private static String hostile(boolean enabled) {
    return "{\"enabled\":"
        + enabled
        + ",\"current_updates\":{\""
        + DB_JSON
        + "\":{\"name\":\""
        + UPDATE_JSON
        + "\",\"total_item_count\":7,\"total_duration_ms\":14.0,\"average_items_per_ms\":0.5}}}";
  }

  /** Nothing a terminal would obey: only the line breaks (and, live, the redraws) of our own. */
  private static void assertNoHiddenCharacters(String printed, boolean redraws) {
    assertThat(printed.codePoints())
        .allMatch(c -> c == '\n' || (redraws && c == '\r') || (c >= 0x20 && c != 0x7f && c != 0x85))
        .noneMatch(c -> c == 0x202e);
    // No line of ours starts with the forged text (after a \r, what follows is what shows).
    for (String line : printed.split("\n")) {
      String[] redrawn = line.split("\r");
      assertThat(redrawn.length == 0 ? "" : redrawn[redrawn.length - 1])
          .doesNotStartWith("Done: all done");
    }
  }

  @Test
  void the_status_table_shows_control_characters_in_names_as_escapes() {
    synapse.script(json(200, hostile(true)));

    Cli.Result r = cli.run(Cli.args("status", synapse.url()));

    assertThat(r.exitCode()).isZero();
    assertNoHiddenCharacters(r.out(), false);
    assertThat(r.out().lines()).hasSize(5); // Synapse, updates, blank, header, one row
    assertThat(r.out()).contains(DB_SHOWN + "  " + UPDATE_SHOWN + "  ");
  }

  @Test
  void wait_in_a_log_shows_them_as_escapes() {
    synapse.script(json(200, hostile(true)), idle(), idle(), idle());

    Cli.Result r = cli.run(Cli.args("wait", synapse.url(), "--progress", "plain"));

    assertThat(r.exitCode()).isZero();
    assertNoHiddenCharacters(r.out(), false);
    assertThat(r.out())
        .contains("[0s] " + DB_SHOWN + ": " + UPDATE_SHOWN + " (7 items, 500/s) is running\n")
        .contains(DB_SHOWN + ": " + UPDATE_SHOWN + " finished\n");
  }

  @Test
  void wait_on_a_terminal_shows_them_as_escapes_in_the_live_line_too() {
    cli.env.put("COLUMNS", "300");
    synapse.script(json(200, hostile(true)), idle(), idle(), idle());

    Cli.Result r = cli.run(Cli.args("wait", synapse.url(), "--progress", "tty"));

    assertThat(r.exitCode()).isZero();
    assertNoHiddenCharacters(r.out(), true);
    assertThat(r.out()).contains("\r[0s] " + DB_SHOWN + ": " + UPDATE_SHOWN + " (7 items");
  }

  @Test
  void the_summary_of_a_paused_wait_on_stderr_shows_them_as_escapes() {
    synapse.script(json(200, hostile(false)));

    Cli.Result r = cli.run(Cli.args("wait", synapse.url(), "--progress", "plain"));

    assertThat(r.exitCode()).isEqualTo(4);
    assertNoHiddenCharacters(r.err(), false);
    assertThat(r.err()).contains("pending: " + DB_SHOWN + ": " + UPDATE_SHOWN);
  }

  @Test
  void the_interrupt_summary_on_stderr_shows_them_as_escapes() throws Exception {
    synapse.script(json(200, hostile(true)));
    CountDownLatch firstSleep = new CountDownLatch(1);
    cli.sleeper =
        d -> {
          firstSleep.countDown();
          Thread.sleep(60_000); // until the hook interrupts us
        };
    FutureTask<Cli.Result> result =
        new FutureTask<>(() -> cli.run(Cli.args("wait", synapse.url(), "--progress", "plain")));
    new Thread(result, "wait-under-test").start();
    assertThat(firstSleep.await(10, TimeUnit.SECONDS)).isTrue();
    cli.clock.advance(Duration.ofSeconds(3));
    cli.hooks.get(0).run(); // what the JVM does on SIGINT

    Cli.Result r = result.get(10, TimeUnit.SECONDS);
    assertThat(r.exitCode()).isEqualTo(130);
    assertNoHiddenCharacters(r.err(), false);
    assertThat(r.err()).contains("still running: " + DB_SHOWN + ": " + UPDATE_SHOWN + " (7 items");
  }

  @Test
  void synapses_error_texts_are_shown_with_escapes() {
    synapse.answer(
        Call.START_JOB,
        json(
            400, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"queued\\u001b[2J\\r\\nDone: all done\"}"));
    Cli.Result refused = cli.run(Cli.args("start-job", synapse.url(), "regenerate_directory"));
    assertThat(refused.exitCode()).isEqualTo(1);
    assertNoHiddenCharacters(refused.err(), false);
    assertThat(refused.err()).contains("queued\\x1b[2J\\r\\nDone: all done");

    synapse.script(
        json(
            429,
            "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"slow\\u001b[2J\\r\\nDone: all done\"}"));
    Cli.Result unusable = cli.run(Cli.args("status", synapse.url()));
    assertThat(unusable.exitCode()).isEqualTo(3);
    assertNoHiddenCharacters(unusable.err(), false);
    assertThat(unusable.err()).contains("slow\\x1b[2J\\r\\nDone: all done");
  }

  @Test
  void visible_leaves_ordinary_text_alone_and_escapes_every_kind_of_control() {
    assertThat(Terminal.visible("populate_stats_process_rooms"))
        .isEqualTo("populate_stats_process_rooms");
    assertThat(Terminal.visible("базa-données ✓ 🎉")).isEqualTo("базa-données ✓ 🎉");
    assertThat(Terminal.visible("\0\t\u001b\u007f\u0080\u009b\u202a\u2066\u2069\u200f"))
        .isEqualTo("\\x00\\t\\x1b\\x7f\\x80\\x9b\\u202a\\u2066\\u2069\\u200f");
  }
}

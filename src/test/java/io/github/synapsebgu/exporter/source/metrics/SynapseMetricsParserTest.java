package io.github.synapsebgu.exporter.source.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.source.metrics.MetricsSourceException.Reason;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SynapseMetricsParserTest {
  /** Captured from a real Synapse 1.160.0 (Debian's package) with its metrics listener on. */
  private static final Path REAL = Path.of("src/test/resources/source/synapse-1.160-metrics.txt");

  private static final long NO_DEADLINE = Long.MAX_VALUE / 2;

  private static SynapseMetrics parse(String body) throws Exception {
    return parse(body.getBytes(StandardCharsets.UTF_8));
  }

  private static SynapseMetrics parse(byte[] body) throws Exception {
    return new SynapseMetricsParser(SynapseMetricsReader.DEFAULT_MAX_BODY_BYTES)
        .parse(new ByteArrayInputStream(body), System.nanoTime() + NO_DEADLINE);
  }

  private static Reason reasonOf(Throwable e) {
    return ((MetricsSourceException) e).reason();
  }

  @Test
  void a_real_synapse_body_gives_the_updater_state_and_start_time() throws Exception {
    SynapseMetrics metrics = parse(Files.readAllBytes(REAL));
    assertThat(metrics.updaterStates())
        .containsExactlyEntriesOf(Map.of("master", UpdaterState.RUNNING));
    assertThat(metrics.processStartTimeSeconds()).hasValue(1.79612908152e+09);
  }

  @Test
  void the_real_body_with_crlf_line_ends_reads_the_same() throws Exception {
    String body = Files.readString(REAL).replace("\n", "\r\n");
    assertThat(parse(body).updaterStates()).containsEntry("master", UpdaterState.RUNNING);
  }

  @Test
  void a_split_database_setup_gives_one_state_per_database() throws Exception {
    SynapseMetrics metrics =
        parse(
            "# HELP synapse_background_update_status Background update status\n"
                + "# TYPE synapse_background_update_status gauge\n"
                + "synapse_background_update_status{database_name=\"master\",server_name=\"s\"} -1.0\n"
                + "synapse_background_update_status{server_name=\"s\",database_name=\"state_db\"} 0.0\n"
                + "synapse_background_update_status{database_name=\"a\\\"b\"} 1 1764590000000\n"
                + "synapse_background_update_status{database_name=\"c\"} 3");
    assertThat(metrics.updaterStates())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "master", UpdaterState.ABORTED,
                "state_db", UpdaterState.DISABLED,
                "a\"b", UpdaterState.NOT_STARTED,
                "c", UpdaterState.COMPLETE));
    assertThat(metrics.processStartTimeSeconds()).isEmpty();
  }

  @Test
  void every_state_has_its_code_and_label() {
    assertThat(UpdaterState.values())
        .extracting(UpdaterState::code, UpdaterState::label)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(-1, "aborted"),
            org.assertj.core.groups.Tuple.tuple(0, "disabled"),
            org.assertj.core.groups.Tuple.tuple(1, "not_started"),
            org.assertj.core.groups.Tuple.tuple(2, "running"),
            org.assertj.core.groups.Tuple.tuple(3, "complete"));
  }

  @Test
  void an_unknown_value_is_an_error() {
    for (String value : new String[] {"4.0", "2.5", "-2", "NaN", "+Inf"}) {
      assertThatThrownBy(
              () -> parse("synapse_background_update_status{database_name=\"master\"} " + value))
          .isInstanceOf(MetricsSourceException.class)
          .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID_DATA))
          .hasMessageContaining("line 1")
          .hasMessageContaining("not one of -1, 0, 1, 2, 3");
    }
  }

  @Test
  void one_broken_line_anywhere_fails_the_whole_body_naming_its_line() throws Exception {
    String real = Files.readString(REAL);
    int lines = real.split("\n").length;
    String broken = real + "synapse_something{oops 1\n";
    assertThatThrownBy(() -> parse(broken))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID_DATA))
        .hasMessageContaining("line " + (lines + 1) + ", column ");
  }

  @Test
  void garbage_an_html_page_and_an_empty_body_are_errors() {
    assertThatThrownBy(() -> parse("<html><body>Not found</body></html>"))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID_DATA))
        .hasMessageContaining("line 1");
    assertThatThrownBy(() -> parse(""))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID_DATA))
        .hasMessageContaining("no synapse_background_update_status series");
    assertThatThrownBy(() -> parse(new byte[] {'m', ' ', '1', '\n', (byte) 0xff, (byte) 0xfe}))
        .hasMessageContaining("line 2, not UTF-8");
  }

  @Test
  void a_worker_like_body_without_the_gauge_is_an_error_that_says_what_to_check() {
    assertThatThrownBy(() -> parse("process_start_time_seconds 1.7e9\npython_info 1\n"))
        .hasMessageContaining("main process's metrics listener");
  }

  @Test
  void a_series_without_database_name_or_given_twice_is_an_error() {
    assertThatThrownBy(() -> parse("synapse_background_update_status 3"))
        .hasMessageContaining("without a database_name label");
    assertThatThrownBy(
            () ->
                parse(
                    "synapse_background_update_status{database_name=\"m\"} 3\n"
                        + "synapse_background_update_status{database_name=\"m\",x=\"y\"} 2\n"))
        .hasMessageContaining("line 2")
        .hasMessageContaining("given twice");
  }

  @Test
  void a_body_over_the_cap_is_an_error_of_its_own_and_is_not_read_to_the_end() {
    byte[] line = "synapse_padding_total{a=\"b\"} 1.0\n".getBytes(StandardCharsets.UTF_8);
    int[] reads = {0};
    long size = 5L * 1024 * 1024;
    InputStream fiveMiB =
        new InputStream() {
          long sent;

          @Override
          public int read() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (sent >= size) {
              return -1;
            }
            reads[0]++;
            int n = (int) Math.min(len, size - sent);
            for (int i = 0; i < n; i++) {
              b[off + i] = line[(int) ((sent + i) % line.length)];
            }
            sent += n;
            return n;
          }
        };
    assertThatThrownBy(
            () ->
                new SynapseMetricsParser(4L * 1024 * 1024)
                    .parse(fiveMiB, System.nanoTime() + NO_DEADLINE))
        .isInstanceOf(MetricsSourceException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.TOO_LARGE))
        .hasMessageContaining("larger than 4194304 bytes");
    assertThat(reads[0] * 16L * 1024).isLessThanOrEqualTo(4L * 1024 * 1024 + 16 * 1024);
  }

  @Test
  void a_body_just_under_the_cap_is_read() throws Exception {
    StringBuilder body = new StringBuilder();
    while (body.length() < 4 * 1024 * 1024 - 200) {
      body.append("synapse_padding_total{a=\"b\"} 1.0\n");
    }
    body.append("synapse_background_update_status{database_name=\"master\"} 3.0\n");
    assertThat(parse(body.toString()).updaterStates())
        .containsEntry("master", UpdaterState.COMPLETE);
  }

  @Test
  void one_huge_line_is_invalid_data_before_it_is_buffered_whole() {
    String huge = "m{a=\"" + "x".repeat(100_000) + "\"} 1\n";
    assertThatThrownBy(() -> parse("# ok\n" + huge))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID_DATA))
        .hasMessageContaining("line 2, longer than 65536 bytes");
  }
}

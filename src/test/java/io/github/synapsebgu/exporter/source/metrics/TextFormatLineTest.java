package io.github.synapsebgu.exporter.source.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.source.metrics.TextFormatLine.Sample;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TextFormatLineTest {
  private static Sample parse(String line) throws TextFormatLine.SyntaxError {
    return TextFormatLine.parse(line);
  }

  @Test
  void synapses_own_line_is_read() throws Exception {
    Sample s =
        parse(
            "synapse_background_update_status{database_name=\"master\",server_name=\"test.local\"}"
                + " 3.0");
    assertThat(s.name()).isEqualTo("synapse_background_update_status");
    assertThat(s.labels())
        .isEqualTo(Map.of("database_name", "master", "server_name", "test.local"));
    assertThat(s.value()).isEqualTo(3.0);
    assertThat(s.timestampMs()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "# HELP synapse_background_update_status Background update status",
        "# TYPE synapse_background_update_status gauge",
        "#",
        "# any comment {\"} at all",
        "",
        "   ",
        "\r",
        "\t# indented comment"
      })
  void comments_and_blank_lines_carry_no_sample(String line) throws Exception {
    assertThat(parse(line)).isNull();
  }

  @Test
  void label_values_unescape_backslash_quote_and_newline() throws Exception {
    Sample s = parse("m{a=\"back\\\\slash\",b=\"q\\\"uote\",c=\"new\\nline\",d=\"}{,= #\"} 1");
    assertThat(s.labels())
        .containsEntry("a", "back\\slash")
        .containsEntry("b", "q\"uote")
        .containsEntry("c", "new\nline")
        .containsEntry("d", "}{,= #");
  }

  @Test
  void labels_come_in_any_order_with_blanks_and_a_trailing_comma() throws Exception {
    Sample s = parse("m { server_name = \"x\" ,\tdatabase_name=\"state\", } 2");
    assertThat(s.labels()).containsOnlyKeys("server_name", "database_name");
    assertThat(s.labels().get("database_name")).isEqualTo("state");
    assertThat(parse("m{} 1").labels()).isEmpty();
    assertThat(parse("m{a=\"\"} 1").labels()).containsEntry("a", "");
  }

  @ParameterizedTest
  @CsvSource({
    "3.0, 3.0",
    "-1.0, -1.0",
    "-1, -1.0",
    "2, 2.0",
    "1.79612908152e+09, 1.79612908152e9",
    "1E3, 1000.0",
    ".5, 0.5",
    "5., 5.0",
    "+Inf, Infinity",
    "-Inf, -Infinity",
    "inf, Infinity"
  })
  void values_take_gos_float_syntax(String text, double expected) throws Exception {
    assertThat(parse("m " + text).value()).isEqualTo(expected);
  }

  @Test
  void nan_is_a_value() throws Exception {
    assertThat(parse("m NaN").value()).isNaN();
  }

  @Test
  void a_timestamp_and_a_crlf_line_end_are_accepted() throws Exception {
    Sample s = parse("m{a=\"b\"} 1.5 1764590000000\r");
    assertThat(s.value()).isEqualTo(1.5);
    assertThat(s.timestampMs()).isEqualTo(OptionalLong.of(1764590000000L));
    assertThat(parse("m 1 -5").timestampMs()).hasValue(-5);
    assertThat(parse("m 2\r").value()).isEqualTo(2.0);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "garbage|expected a sample value",
        "m 1,5|a number",
        "m|expected a sample value",
        "m{|expected a label name or '}'",
        "m{a}|expected '='",
        "m{a=b} 1|expected '\"'",
        "m{a=\"b} 1|closing '\"'",
        "m{a=\"b\" c=\"d\"} 1|',' or '}'",
        "m{a=\"\\x\"} 1|an escape",
        "m{a=\"1\",a=\"2\"} 1|label a given twice",
        "m{1a=\"x\"} 1|a label name",
        "m{a:b=\"x\"} 1|expected '='",
        "9m 1|a metric name",
        "{a=\"b\"} 1|a metric name",
        "m 1d|a number",
        "m 0x10|a number",
        "m 1e|a number",
        "m one|a number",
        "m 1 2 3|the end of the line",
        "m 1 1.5|an integer timestamp",
        "m 1 99999999999999999999|an integer timestamp",
        "<html><body>|a metric name"
      })
  void a_broken_line_says_where_and_what_was_expected(String line, String message) {
    assertThatThrownBy(() -> parse(line))
        .isInstanceOf(TextFormatLine.SyntaxError.class)
        .hasMessageStartingWith("column ")
        .hasMessageContaining(message);
  }

  @Test
  void metric_names_may_hold_colons_and_digits() throws Exception {
    assertThat(parse("job:rate5m_2 1").name()).isEqualTo("job:rate5m_2");
  }
}

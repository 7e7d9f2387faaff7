package io.github.synapsebgu.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PromDurationTest {
  @ParameterizedTest
  @CsvSource({
    "500ms,500",
    "15s,15000",
    "5m,300000",
    "1h,3600000",
    "1h30m,5400000",
    "1d,86400000",
    "2w,1209600000",
    "1y,31536000000",
    "0,0",
    "0s,0",
    "1m500ms,60500"
  })
  void parsesPrometheusDurations(String text, long millis) {
    assertThat(PromDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "15",
        "1.5s",
        "-1s",
        "s",
        "1S",
        "1sec",
        "30m1h",
        "1h 30m",
        "99999999999999999999y"
      })
  void rejectsAnythingElse(String text) {
    assertThatThrownBy(() -> PromDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"0,0s", "500,500ms", "90000,1m30s", "86400000,1d", "5400000,1h30m"})
  void formatsLikePrometheus(long millis, String text) {
    assertThat(PromDuration.format(Duration.ofMillis(millis))).isEqualTo(text);
  }
}

package io.github.synapsebgu.exporter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LayoutTest {
  private static LoggingEvent event(String message) {
    LoggerContext context = new LoggerContext();
    LoggingEvent e =
        new LoggingEvent(
            "x",
            context.getLogger("io.github.synapsebgu.exporter.poll.Poller"),
            Level.WARN,
            message,
            null,
            null);
    e.setTimeStamp(1_795_773_600_000L);
    e.setKeyValuePairs(
        List.of(
            new KeyValuePair("reason", "connect"),
            new KeyValuePair("err", "a \"quoted\" = thing\nnext")));
    return e;
  }

  @Test
  void writesLogfmtWithQuotingOnlyWhereNeeded() {
    String line = new LogfmtLayout().doLayout(event("Polling Synapse failed"));
    assertThat(line)
        .isEqualTo(
            "ts=2026-11-27T10:00:00Z level=warn logger=Poller msg=\"Polling Synapse failed\" reason=connect"
                + " err=\"a \\\"quoted\\\" = thing\\nnext\"\n");
  }

  @Test
  void writesOneJsonObjectPerLine() throws Exception {
    String line = new JsonLayout().doLayout(event("Polling Synapse failed"));
    assertThat(line).endsWith("}\n").doesNotContain("\n{");
    JsonNode json = JsonMapper.builder().build().readTree(line);
    assertThat(json.get("level").stringValue()).isEqualTo("warn");
    assertThat(json.get("msg").stringValue()).isEqualTo("Polling Synapse failed");
    assertThat(json.get("reason").stringValue()).isEqualTo("connect");
    assertThat(json.get("err").stringValue()).isEqualTo("a \"quoted\" = thing\nnext");
  }
}

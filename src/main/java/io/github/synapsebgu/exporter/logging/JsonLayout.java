package io.github.synapsebgu.exporter.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import tools.jackson.databind.json.JsonMapper;

/** One JSON object per line, for log pipelines that parse JSON. */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @Override
  public String doLayout(ILoggingEvent event) {
    var fields = LogLine.fields(event);
    fields.replaceAll(
        (k, v) -> v instanceof Number || v instanceof Boolean ? v : String.valueOf(v));
    return MAPPER.writeValueAsString(fields) + "\n";
  }
}

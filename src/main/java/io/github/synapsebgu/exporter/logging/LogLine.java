package io.github.synapsebgu.exporter.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/** The fields of one log line, in order, shared by the logfmt and JSON layouts. */
final class LogLine {
  private LogLine() {}

  static Map<String, Object> fields(ILoggingEvent event) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    f.put("level", event.getLevel().toString().toLowerCase(Locale.ROOT));
    String logger = event.getLoggerName();
    f.put("logger", logger.substring(logger.lastIndexOf('.') + 1));
    f.put("msg", event.getFormattedMessage());
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        if (kv.value != null) {
          f.put(kv.key, kv.value);
        }
      }
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      f.put("exception", ThrowableProxyUtil.asString(thrown).strip());
    }
    return f;
  }
}

package io.github.synapsebgu.exporter.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import java.util.Map;

/** {@code ts=... level=info logger=Poller msg="..." key=value}: the format Go exporters log in. */
public final class LogfmtLayout extends LayoutBase<ILoggingEvent> {
  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder out = new StringBuilder(160);
    for (Map.Entry<String, Object> e : LogLine.fields(event).entrySet()) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(e.getKey()).append('=');
      appendValue(out, String.valueOf(e.getValue()));
    }
    return out.append('\n').toString();
  }

  static void appendValue(StringBuilder out, String v) {
    boolean quote = v.isEmpty();
    for (int i = 0; i < v.length() && !quote; i++) {
      char c = v.charAt(i);
      quote = c <= ' ' || c == '=' || c == '"' || c == 0x7f;
    }
    if (!quote) {
      out.append(v);
      return;
    }
    out.append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c < ' ' ? ' ' : c);
      }
    }
    out.append('"');
  }
}

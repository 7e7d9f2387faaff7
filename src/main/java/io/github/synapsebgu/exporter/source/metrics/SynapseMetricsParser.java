package io.github.synapsebgu.exporter.source.metrics;

import io.github.synapsebgu.exporter.source.metrics.MetricsSourceException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Reads a whole metrics body line by line, checking every line's syntax (a body with one broken
 * line is not trusted) and keeping only the two series this source needs. The body is read
 * incrementally and never held whole: at most one line is buffered, and reading stops at the byte
 * cap.
 */
final class SynapseMetricsParser {
  static final String STATUS = "synapse_background_update_status";
  static final String DATABASE_LABEL = "database_name";
  static final String START_TIME = "process_start_time_seconds";

  /**
   * Synapse's longest line is about 200 bytes. The cap keeps the one buffered line small: the
   * exporter's heap is 32 MiB, and a 4 MiB body of one line would otherwise be held several times
   * over (bytes, decoded chars, parsed parts).
   */
  static final int MAX_LINE_BYTES = 64 * 1024;

  private final long maxBytes;

  SynapseMetricsParser(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * @param deadlineNanos {@link System#nanoTime()} after which reading stops with a timeout: each
   *     read blocks at most the socket timeout, so a body that drips in cannot hold a poll for long
   */
  SynapseMetrics parse(InputStream body, long deadlineNanos)
      throws IOException, MetricsSourceException {
    Map<String, UpdaterState> states = new TreeMap<>();
    OptionalDouble startTime = OptionalDouble.empty();
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    byte[] chunk = new byte[16 * 1024];
    long total = 0;
    int lineNo = 0;
    int n;
    while ((n = body.read(chunk)) != -1) {
      total += n;
      if (total > maxBytes) {
        throw new MetricsSourceException(
            Reason.TOO_LARGE, "the metrics body is larger than " + maxBytes + " bytes");
      }
      if (System.nanoTime() - deadlineNanos > 0) {
        throw new MetricsSourceException(Reason.TIMEOUT, "the metrics body took too long");
      }
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (chunk[i] == '\n') {
          append(line, chunk, start, i - start, lineNo + 1);
          startTime = take(decode(line, ++lineNo), lineNo, states, startTime);
          line.reset();
          start = i + 1;
        }
      }
      append(line, chunk, start, n - start, lineNo + 1);
    }
    if (line.size() > 0) {
      startTime = take(decode(line, ++lineNo), lineNo, states, startTime);
    }
    if (states.isEmpty()) {
      throw new MetricsSourceException(
          Reason.INVALID_DATA,
          "no "
              + STATUS
              + " series in the body: is this the main process's metrics listener"
              + " (enable_metrics: true)?");
    }
    return new SynapseMetrics(states, startTime);
  }

  private static void append(ByteArrayOutputStream line, byte[] bytes, int from, int n, int lineNo)
      throws MetricsSourceException {
    if (line.size() + n > MAX_LINE_BYTES) {
      throw invalid(lineNo, "longer than " + MAX_LINE_BYTES + " bytes");
    }
    line.write(bytes, from, n);
  }

  private static String decode(ByteArrayOutputStream line, int lineNo)
      throws MetricsSourceException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(line.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw invalid(lineNo, "not UTF-8");
    }
  }

  private static OptionalDouble take(
      String text, int lineNo, Map<String, UpdaterState> states, OptionalDouble startTime)
      throws MetricsSourceException {
    TextFormatLine.Sample sample;
    try {
      sample = TextFormatLine.parse(text);
    } catch (TextFormatLine.SyntaxError e) {
      throw invalid(lineNo, e.getMessage());
    }
    if (sample == null) {
      return startTime;
    }
    if (sample.name().equals(STATUS)) {
      String database = sample.labels().get(DATABASE_LABEL);
      if (database == null) {
        throw invalid(lineNo, STATUS + " without a " + DATABASE_LABEL + " label");
      }
      UpdaterState state =
          UpdaterState.ofGaugeValue(sample.value())
              .orElseThrow(
                  () ->
                      invalid(
                          lineNo,
                          STATUS
                              + " has the value "
                              + sample.value()
                              + ", not one of -1, 0, 1, 2, 3"));
      if (states.put(database, state) != null) {
        throw invalid(lineNo, STATUS + " given twice for one database");
      }
    } else if (sample.name().equals(START_TIME) && startTime.isEmpty()) {
      double value = sample.value();
      if (Double.isFinite(value) && value > 0) {
        return OptionalDouble.of(value);
      }
    }
    return startTime;
  }

  private static MetricsSourceException invalid(int lineNo, String problem) {
    return new MetricsSourceException(
        Reason.INVALID_DATA, "the metrics body is not valid: line " + lineNo + ", " + problem);
  }
}

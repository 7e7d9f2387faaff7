package io.github.synapsebgu.exporter.scrape;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * The per-poll metrics written once in one format, plain and compressed, and shared by every scrape
 * of that version: a scrape writes these bytes straight to its response and then its own part (e.g.
 * the admin API's counters), never a copy of the whole.
 *
 * <p>The compressed form is a raw deflate stream of the body without its final OpenMetrics "# EOF"
 * line, flushed to a byte boundary but not finished. A gzip response is then a fixed header, those
 * bytes, a small deflate stream of whatever follows (the per-scrape part, or just the EOF line) and
 * the CRC and length: deflate blocks may follow one another like that, so the few MiB a large
 * homeserver's metrics take are compressed once per poll, not on every scrape.
 */
final class Exposition {
  private static final byte[] OPENMETRICS_EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final Object version;
  private final ChunkedBytes plain;
  private final int eofLength;
  private final ChunkedBytes deflatedHead;
  private final byte[] deflatedEnd;
  private final long crc;
  private final long renderedNanos = System.nanoTime();

  private Exposition(
      Object version,
      ChunkedBytes plain,
      int eofLength,
      ChunkedBytes deflatedHead,
      byte[] deflatedEnd,
      long crc) {
    this.version = version;
    this.plain = plain;
    this.eofLength = eofLength;
    this.deflatedHead = deflatedHead;
    this.deflatedEnd = deflatedEnd;
    this.crc = crc;
  }

  static Exposition render(
      Object version,
      ExpositionFormatWriter writer,
      EscapingScheme escaping,
      MetricSnapshots snapshots)
      throws IOException {
    ChunkedBytes plain = new ChunkedBytes();
    CRC32 crc = new CRC32();
    try (OutputStream out = new CheckedOutputStream(plain, crc)) {
      writer.write(out, snapshots, escaping);
    }
    boolean openMetrics =
        writer.getContentType().startsWith("application/openmetrics-text")
            && plain.endsWith(OPENMETRICS_EOF);
    int eofLength = openMetrics ? OPENMETRICS_EOF.length : 0;
    ChunkedBytes head = new ChunkedBytes();
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      DeflaterOutputStream out = new DeflaterOutputStream(head, deflater, 8192, true);
      plain.writeTo(out, plain.length() - eofLength);
      out.flush(); // a sync flush: ends on a byte boundary, not the final block
    } finally {
      deflater.end();
    }
    head.close();
    byte[] end = deflate(openMetrics ? OPENMETRICS_EOF : new byte[0]);
    return new Exposition(version, plain, eofLength, head, end, crc.getValue());
  }

  Object version() {
    return version;
  }

  /** When it was written, on {@link System#nanoTime()}'s clock. */
  long renderedNanos() {
    return renderedNanos;
  }

  /**
   * The response body: these bytes, then {@code after} (the per-scrape part, written with the same
   * writer, or null).
   */
  Body body(byte[] after, boolean gzip) {
    if (!gzip) {
      return after == null
          ? new Body(plain.length(), out -> plain.writeTo(out, plain.length()))
          : new Body(
              plain.length() - eofLength + after.length,
              out -> {
                plain.writeTo(out, plain.length() - eofLength);
                out.write(after);
              });
    }
    long size;
    long checksum;
    byte[] tail;
    if (after == null) {
      size = plain.length();
      checksum = crc;
      tail = deflatedEnd;
    } else {
      size = plain.length() - eofLength + after.length;
      CRC32 c = new CRC32();
      try (CheckedOutputStream sum = new CheckedOutputStream(OutputStream.nullOutputStream(), c)) {
        plain.writeTo(sum, plain.length() - eofLength);
        sum.write(after);
      } catch (IOException impossible) {
        throw new IllegalStateException(impossible);
      }
      checksum = c.getValue();
      tail = deflate(after);
    }
    byte[] trailer = new byte[8];
    littleEndian(trailer, 0, checksum);
    littleEndian(trailer, 4, size);
    return new Body(
        GZIP_HEADER.length + deflatedHead.length() + tail.length + trailer.length,
        out -> {
          out.write(GZIP_HEADER);
          deflatedHead.writeTo(out, deflatedHead.length());
          out.write(tail);
          out.write(trailer);
        });
  }

  /** A finished raw deflate stream of {@code bytes}: the last blocks of a response. */
  private static byte[] deflate(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + bytes.length / 2);
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, deflater, 8192)) {
      d.write(bytes);
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    } finally {
      deflater.end();
    }
    return out.toByteArray();
  }

  private static void littleEndian(byte[] into, int at, long value) {
    for (int i = 0; i < 4; i++) {
      into[at + i] = (byte) (value >>> (8 * i));
    }
  }

  /** What a scrape sends: its length is known before the first byte is written. */
  record Body(long length, Writer writer) {
    void writeTo(OutputStream out) throws IOException {
      writer.write(out);
    }
  }

  @FunctionalInterface
  interface Writer {
    void write(OutputStream out) throws IOException;
  }
}

package io.github.synapsebgu.exporter.scrape;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An output buffer kept as a list of chunks, written out chunk by chunk. Unlike a {@code
 * ByteArrayOutputStream} it never copies what it holds to grow or to hand it out: a body of a few
 * MiB costs its size once, not three times (old array, doubled array, final copy) while it is
 * written, which is what kept the 32 MiB heap from holding several renders at once.
 */
final class ChunkedBytes extends OutputStream {
  private static final int FIRST_CHUNK = 8 * 1024;
  private static final int LARGEST_CHUNK = 256 * 1024;

  private final List<byte[]> chunks = new ArrayList<>();
  private byte[] current = new byte[FIRST_CHUNK];
  private int used;
  private long length;
  private boolean closed;

  @Override
  public void write(int b) {
    if (used == current.length) {
      next();
    }
    current[used++] = (byte) b;
    length++;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    while (len > 0) {
      if (used == current.length) {
        next();
      }
      int n = Math.min(len, current.length - used);
      System.arraycopy(b, off, current, used, n);
      used += n;
      off += n;
      len -= n;
      length += n;
    }
  }

  private void next() {
    chunks.add(current);
    current = new byte[Math.min(LARGEST_CHUNK, current.length * 2)];
    used = 0;
  }

  /** Ends writing; the last chunk is trimmed so a cached body holds no spare room. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      chunks.add(used == current.length ? current : Arrays.copyOf(current, used));
      current = null;
    }
  }

  long length() {
    return length;
  }

  /** Writes the first {@code count} bytes (all of them after {@link #close()}). */
  void writeTo(OutputStream out, long count) throws IOException {
    if (!closed) {
      throw new IllegalStateException("still being written");
    }
    long left = Math.min(count, length);
    for (byte[] chunk : chunks) {
      if (left <= 0) {
        return;
      }
      int n = (int) Math.min(chunk.length, left);
      out.write(chunk, 0, n);
      left -= n;
    }
  }

  /** Whether the content ends with {@code suffix}. */
  boolean endsWith(byte[] suffix) {
    if (length < suffix.length) {
      return false;
    }
    byte[] tail = new byte[suffix.length];
    long skip = length - suffix.length;
    int filled = 0;
    for (byte[] chunk : chunks) {
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      int from = (int) skip;
      int n = Math.min(chunk.length - from, suffix.length - filled);
      System.arraycopy(chunk, from, tail, filled, n);
      filled += n;
      skip = 0;
      if (filled == suffix.length) {
        break;
      }
    }
    return Arrays.equals(tail, suffix);
  }
}

package io.github.synapsebgu.exporter.poll;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Where in the poll interval a homeserver's first poll falls, so that thousands of homeservers are
 * polled spread over the interval instead of all at second 0: a stable offset in {@code [0,
 * interval)} derived from the name alone (the same on every start and every replica), well mixed so
 * that names that differ by one character land far apart.
 */
public final class PollSpread {
  private PollSpread() {}

  public static Duration offset(String name, Duration interval) {
    long millis = interval.toMillis();
    if (millis <= 0) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(Math.floorMod(mix(fnv1a(name)), millis));
  }

  /** FNV-1a, 64 bits, over the name's UTF-8 bytes. */
  private static long fnv1a(String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** The splitmix64 finaliser: every input bit reaches every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}

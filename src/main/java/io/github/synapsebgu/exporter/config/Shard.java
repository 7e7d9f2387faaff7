package io.github.synapsebgu.exporter.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code --fleet.shard=K/N}: this replica polls and serves the homeservers whose name hashes to
 * {@code K} modulo {@code N}. The hash is the first 8 bytes of the SHA-256 of the name's UTF-8
 * bytes, read as an unsigned big-endian number: stable across processes, versions and JVMs (never
 * {@code String.hashCode}), so N replicas split a fleet with no coordination.
 */
public record Shard(int index, int count) {
  /** Every homeserver: one replica. */
  public static final Shard ALL = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("shard " + index + "/" + count);
    }
  }

  public boolean contains(String name) {
    return count == 1 || Long.remainderUnsigned(hash(name), count) == index;
  }

  static long hash(String name) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (digest[i] & 0xff);
    }
    return h;
  }

  /** {@code K/N}, K from 0 to N-1: as a StatefulSet's ordinal and replica count. */
  static ValueParser<Shard> parser() {
    return (flag, raw) -> {
      String[] parts = raw.strip().split("/", -1);
      try {
        if (parts.length == 2) {
          int k = Integer.parseInt(parts[0]);
          int n = Integer.parseInt(parts[1]);
          if (n >= 1 && n <= 10_000 && k >= 0 && k < n) {
            return new Shard(k, n);
          }
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new ConfigException(
          flag, "\"" + raw + "\" is not K/N with N from 1 to 10000 and K from 0 to N-1, e.g. 0/3");
    };
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}

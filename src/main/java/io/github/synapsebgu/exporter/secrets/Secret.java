package io.github.synapsebgu.exporter.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** A token that cannot leak through {@code toString}, string concatenation or a log argument. */
public final class Secret {
  private final String value;

  public Secret(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("empty secret");
    }
    this.value = value;
  }

  /** The raw value, only for the one place that must send it (an Authorization header). */
  public String reveal() {
    return value;
  }

  /**
   * Constant-time comparison, so response timing does not tell an attacker how much of a guess was
   * right.
   */
  public boolean matches(String candidate) {
    if (candidate == null) {
      return false;
    }
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && matches(s.value);
  }

  @Override
  public int hashCode() {
    return 0; // deliberately uninformative
  }

  @Override
  public String toString() {
    return "<redacted>";
  }
}

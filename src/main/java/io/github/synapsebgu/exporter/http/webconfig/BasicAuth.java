package io.github.synapsebgu.exporter.http.webconfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Checks {@code Authorization: Basic} against {@code basic_auth_users} bcrypt hashes. A bcrypt
 * check costs tens of milliseconds by design, so successful checks are remembered for a few
 * minutes, keyed by a SHA-256 of user, hash and password (never the password itself), as the
 * exporter toolkit does; a changed hash or removed user misses the cache at once. Checks run one at
 * a time so a password-guessing flood costs one core, not all of them.
 */
public final class BasicAuth {
  static final long REMEMBER_NANOS = 5L * 60 * 1_000_000_000;
  private static final int MAX_REMEMBERED = 64;

  private final LongSupplier nanoClock;
  private final Map<String, Long> remembered =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > MAX_REMEMBERED;
        }
      };
  private final Object bcryptLock = new Object();

  public BasicAuth() {
    this(System::nanoTime);
  }

  BasicAuth(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * A per-process salt: the cache keys mean nothing outside this process. Made at the first check,
   * not at startup: seeding SecureRandom costs a listener without basic auth ~6 ms of its start.
   */
  private static final class Salt {
    static final byte[] VALUE = new byte[16];

    static {
      new SecureRandom().nextBytes(VALUE);
    }
  }

  /** Whether the header carries a user and password that {@code users} accepts. */
  public boolean allows(Map<String, String> users, String authorization) {
    Optional<Credentials> credentials = Credentials.parse(authorization);
    if (credentials.isEmpty()) {
      return false;
    }
    Credentials c = credentials.get();
    String hash = users.get(c.user());
    // An unknown user still pays one bcrypt, so timing does not tell which users exist.
    String checked = hash != null ? hash : DummyHash.VALUE;
    String key = cacheKey(c.user(), checked, c.password());
    long now = nanoClock.getAsLong();
    synchronized (remembered) {
      Long until = remembered.get(key);
      if (until != null && now - until < 0 && hash != null) {
        return true;
      }
    }
    boolean ok;
    synchronized (bcryptLock) {
      ok = check(checked, c.password());
    }
    if (ok && hash != null) {
      synchronized (remembered) {
        remembered.put(key, now + REMEMBER_NANOS);
      }
    }
    return ok && hash != null;
  }

  private static boolean check(String hash, byte[] password) {
    try {
      return OpenBSDBCrypt.checkPassword(hash, password);
    } catch (RuntimeException e) {
      return false; // e.g. a password longer than bcrypt's 72 bytes
    }
  }

  private String cacheKey(String user, String hash, byte[] password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Salt.VALUE);
      for (byte[] part :
          new byte[][] {
            user.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8), password
          }) {
        sha.update(Integer.toString(part.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(part);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  private record Credentials(String user, byte[] password) {
    static Optional<Credentials> parse(String header) {
      if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
        return Optional.empty();
      }
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(header.substring(6).strip());
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      int colon = -1;
      for (int i = 0; i < decoded.length; i++) {
        if (decoded[i] == ':') {
          colon = i;
          break;
        }
      }
      if (colon < 0) {
        return Optional.empty();
      }
      String user = new String(decoded, 0, colon, StandardCharsets.UTF_8);
      byte[] password = java.util.Arrays.copyOfRange(decoded, colon + 1, decoded.length);
      return Optional.of(new Credentials(user, password));
    }
  }

  /** A real bcrypt hash of a random password at the usual cost, made once on first use. */
  private static final class DummyHash {
    static final String VALUE;

    static {
      byte[] password = new byte[16];
      byte[] salt = new byte[16];
      SecureRandom random = new SecureRandom();
      random.nextBytes(password);
      random.nextBytes(salt);
      VALUE = OpenBSDBCrypt.generate("2y", password, salt, 10);
    }
  }
}

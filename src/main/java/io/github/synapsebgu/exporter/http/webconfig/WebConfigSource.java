package io.github.synapsebgu.exporter.http.webconfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current web configuration of one listener. The file, and the certificate, key and CA files it
 * names, are checked for changes at most once a second when a request or TLS handshake asks (no
 * watcher thread); a change is parsed and validated in full before it replaces the last good
 * configuration. An invalid change is logged once and the last good configuration stays in force.
 *
 * <p>Whether the listener speaks TLS is fixed at startup (it decides which server is built), so a
 * change that turns TLS on or off is refused until a restart, like the exporter toolkit does.
 */
public final class WebConfigSource {
  private static final Logger log = LoggerFactory.getLogger(WebConfigSource.class);
  private static final Duration CHECK_EVERY = Duration.ofSeconds(1);
  private static final Duration RETRY_FAILED = Duration.ofSeconds(10);

  private final Path file;
  private final String flag;
  private final LongSupplier nanoClock;
  private final long checkEveryNanos;
  private volatile WebConfig current;
  private volatile long nextCheckNanos;
  private List<Object> fingerprint;
  private List<Object> failedFingerprint;
  private String failure;
  private long retryFailedNanos;

  private WebConfigSource(
      Path file, String flag, WebConfig first, LongSupplier nanoClock, Duration checkEvery) {
    this.file = file;
    this.flag = flag;
    this.current = first;
    this.nanoClock = nanoClock;
    this.checkEveryNanos = checkEvery.toNanos();
    this.nextCheckNanos = file == null ? Long.MAX_VALUE : nanoClock.getAsLong() + checkEveryNanos;
  }

  /** No file: plain HTTP, no authentication. */
  public static WebConfigSource none() {
    return new WebConfigSource(null, null, WebConfig.open(), System::nanoTime, CHECK_EVERY);
  }

  /**
   * Reads and validates the file once.
   *
   * @param flag the flag that named the file, for log lines ({@code --web.config.file})
   * @throws InvalidWebConfigException naming the file and field
   */
  public static WebConfigSource open(Path file, String flag) throws InvalidWebConfigException {
    return open(file, flag, System::nanoTime, CHECK_EVERY);
  }

  static WebConfigSource open(Path file, String flag, LongSupplier nanoClock, Duration checkEvery)
      throws InvalidWebConfigException {
    WebConfig config = WebConfigParser.parse(file);
    WebConfigSource source = new WebConfigSource(file, flag, config, nanoClock, checkEvery);
    // Taken after reading: a change in the milliseconds between the two is only seen with the next.
    source.fingerprint = fingerprint(file, config.watchedFiles());
    return source;
  }

  /** The configuration to apply now; re-reads the files first if they changed. */
  public WebConfig current() {
    if (file != null && nanoClock.getAsLong() - nextCheckNanos >= 0) {
      refresh();
    }
    return current;
  }

  public boolean tls() {
    return current.tls().isPresent();
  }

  /** Where the configuration comes from, safe to log. */
  public String describe() {
    return file == null ? "(none)" : file.toString();
  }

  private synchronized void refresh() {
    if (nanoClock.getAsLong() - nextCheckNanos < 0) {
      return; // another thread just checked
    }
    nextCheckNanos = nanoClock.getAsLong() + checkEveryNanos;
    List<Object> now = fingerprint(file, current.watchedFiles());
    boolean retryFailed = failure != null && nanoClock.getAsLong() - retryFailedNanos >= 0;
    if (now.equals(fingerprint) || (now.equals(failedFingerprint) && !retryFailed)) {
      // A failed version is retried now and then even unchanged: it may name a file that appears
      // later and that the last good version did not watch.
      return;
    }
    try {
      WebConfig next = WebConfigParser.parse(file);
      if (next.tls().isPresent() != current.tls().isPresent()) {
        throw new InvalidWebConfigException(
            file
                + ": tls_server_config was "
                + (next.tls().isPresent() ? "added" : "removed")
                + "; switching TLS on or off needs a restart");
      }
      // The new files may differ from the old ones: fingerprint what this version names.
      fingerprint = fingerprint(file, next.watchedFiles());
      failedFingerprint = null;
      failure = null;
      current = next;
      log.atInfo()
          .addKeyValue("flag", flag)
          .addKeyValue("file", file)
          .addKeyValue("tls", next.tls().isPresent())
          .addKeyValue("basic_auth_users", next.users().size())
          .log("Web config changed, now in force");
    } catch (InvalidWebConfigException e) {
      failedFingerprint = now;
      retryFailedNanos = nanoClock.getAsLong() + RETRY_FAILED.toNanos();
      if (e.getMessage().equals(failure)) {
        return; // the same problem was already logged
      }
      failure = e.getMessage();
      log.atWarn()
          .addKeyValue("flag", flag)
          .addKeyValue("err", e.getMessage())
          .log("Web config changed but is invalid; keeping the last good one");
    }
  }

  /**
   * What identifies a version of the files: modification time, size and inode of each, so an atomic
   * rename (Kubernetes secret volumes swap a symlink) is seen even within one mtime tick.
   */
  private static List<Object> fingerprint(Path file, List<Path> others) {
    List<Object> parts = new ArrayList<>();
    List<Path> all = new ArrayList<>();
    all.add(file);
    all.addAll(others);
    for (Path p : all) {
      try {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        parts.add(p + "|" + a.lastModifiedTime().toMillis() + "|" + a.size() + "|" + a.fileKey());
      } catch (IOException e) {
        parts.add(p + "|missing|" + Objects.toString(e.getMessage()));
      }
    }
    return parts;
  }
}

package io.github.synapsebgu.exporter.admin;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One line per admin API request, on the logger {@code ...admin.audit} (shown as {@code
 * logger=audit}) so it can be routed or kept on its own. Never the Authorization header nor request
 * values: only what the exporter decided.
 *
 * <p>Requests nobody authenticated (401s, and the router's 404 and 405, answered before any token
 * check) are rate-limited per remote address (the host, whatever the port): the first is logged,
 * the others of that minute are counted, and once the minute is over one line gives their count,
 * and so on each minute while they keep coming. Anyone who can reach the port could otherwise write
 * thousands of lines a second (6,000 bad tokens on one connection wrote 7,205 lines in 3 s). The
 * request counter stays exact; authenticated requests are always logged. The summaries are written
 * with the next request after the minute (any address).
 *
 * <p>So that many addresses cannot do what one cannot: an IPv6 client counts as its /64 (one host
 * holds a whole /64), at most {@link #MAX_FIRST_LINES} first lines are written a minute for all
 * addresses together, and at most {@link #MAX_ADDRESSES} addresses are tracked (the oldest is
 * dropped). What those caps leave out is counted in one summary line a minute for all addresses.
 */
final class AuditLog {
  static final int MAX_ADDRESSES = 1024;
  static final int MAX_FIRST_LINES = 100;
  static final String OTHERS = "(other addresses)";
  static final Duration WINDOW = Duration.ofMinutes(1);

  private static final Logger log =
      LoggerFactory.getLogger("io.github.synapsebgu.exporter.admin.audit");
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE");

  private final Clock clock;
  private final int maxAddresses;
  // By host, in the order their minute started (a restarted minute moves to the end).
  private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();
  // First lines written in the minute that started at firstLinesSince, all addresses together.
  private Instant firstLinesSince = Instant.MIN;
  private int firstLinesWritten;
  // Refusals the caps left out, all addresses together; null while there are none.
  private Window others;

  AuditLog(Clock clock) {
    this(clock, MAX_ADDRESSES);
  }

  AuditLog(Clock clock, int maxAddresses) {
    this.clock = clock;
    this.maxAddresses = maxAddresses;
  }

  /** The minute of one address: when it started, and the lines left out since. */
  private static final class Window {
    final Instant start;
    long suppressed;

    Window(Instant start) {
      this.start = start;
    }
  }

  synchronized void record(
      String action,
      Outcome outcome,
      int status,
      InetSocketAddress remote,
      String method,
      String path,
      Map<String, Object> fields,
      long startNanos) {
    Instant now = clock.instant();
    summarizeEnded(now);
    if (unauthenticated(outcome, status)) {
      String host = client(remote);
      Window w = windows.get(host);
      if (w != null) {
        w.suppressed++;
        return;
      }
      if (!now.isBefore(firstLinesSince.plus(WINDOW))) {
        firstLinesSince = now;
        firstLinesWritten = 0;
      }
      if (firstLinesWritten >= MAX_FIRST_LINES) {
        leftOut(1, now);
        return;
      }
      firstLinesWritten++;
      if (windows.size() >= maxAddresses) {
        Iterator<Map.Entry<String, Window>> oldest = windows.entrySet().iterator();
        leftOut(oldest.next().getValue().suppressed, now);
        oldest.remove();
      }
      windows.put(host, new Window(now));
    }
    write(action, outcome, status, remote, method, path, fields, startNanos);
  }

  /** 401, or the router's refusals: nothing about the client was checked. */
  private static boolean unauthenticated(Outcome outcome, int status) {
    return outcome == Outcome.UNAUTHORIZED
        || (outcome == Outcome.BAD_REQUEST && (status == 404 || status == 405));
  }

  /**
   * Writes the count of each minute that ended with lines left out, and goes on counting for that
   * address; an address quiet for a whole minute is forgotten, so its next request is logged.
   */
  private void summarizeEnded(Instant now) {
    Map<String, Window> restarted = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Window> e = it.next();
      Instant end = e.getValue().start.plus(WINDOW);
      if (now.isBefore(end)) {
        break; // the others started later
      }
      it.remove();
      if (e.getValue().suppressed > 0) {
        summarize(e.getKey(), e.getValue(), now);
        restarted.put(e.getKey(), new Window(now));
      }
    }
    windows.putAll(restarted);
    if (others != null && !now.isBefore(others.start.plus(WINDOW))) {
      summarize(OTHERS, others, now);
      others = null;
    }
  }

  private void leftOut(long count, Instant now) {
    if (count == 0) {
      return;
    }
    if (others == null) {
      others = new Window(now);
    }
    others.suppressed += count;
  }

  private static void summarize(String host, Window w, Instant now) {
    if (w.suppressed == 0) {
      return;
    }
    log.atWarn()
        .addKeyValue("remote", host)
        .addKeyValue("suppressed", w.suppressed)
        .addKeyValue("since", w.start)
        .addKeyValue("until", now)
        .log("Admin API requests refused without a valid token, not logged one by one");
  }

  private static void write(
      String action,
      Outcome outcome,
      int status,
      InetSocketAddress remote,
      String method,
      String path,
      Map<String, Object> fields,
      long startNanos) {
    // Refusals of the client are routine; a wrong token or a failing Synapse wants attention.
    LoggingEventBuilder line =
        outcome == Outcome.UNAUTHORIZED || outcome == Outcome.UPSTREAM_ERROR
            ? log.atWarn()
            : log.atInfo();
    line.addKeyValue("action", action)
        .addKeyValue("outcome", outcome.label())
        .addKeyValue("status", status)
        .addKeyValue("remote", remote(remote))
        .addKeyValue("method", METHODS.contains(method) ? method : "other")
        .addKeyValue("path", path);
    fields.forEach(line::addKeyValue);
    line.addKeyValue("duration_ms", (System.nanoTime() - startNanos) / 1_000_000)
        .log("Admin API request");
  }

  private static String host(InetSocketAddress remote) {
    if (remote == null) {
      return "unknown";
    }
    String host =
        remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** The client as rate-limited: the address, or for IPv6 its /64. */
  private static String client(InetSocketAddress remote) {
    if (remote != null && remote.getAddress() instanceof Inet6Address v6) {
      byte[] a = v6.getAddress();
      return String.format(
          "[%x:%x:%x:%x::]/64",
          (a[0] & 0xff) << 8 | a[1] & 0xff,
          (a[2] & 0xff) << 8 | a[3] & 0xff,
          (a[4] & 0xff) << 8 | a[5] & 0xff,
          (a[6] & 0xff) << 8 | a[7] & 0xff);
    }
    return host(remote);
  }

  private static String remote(InetSocketAddress remote) {
    return remote == null ? "unknown" : host(remote) + ":" + remote.getPort();
  }
}

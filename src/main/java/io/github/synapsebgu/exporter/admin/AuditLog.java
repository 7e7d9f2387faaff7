package io.github.synapsebgu.exporter.admin;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One line per admin API request, on the logger {@code ...admin.audit} (shown as {@code
 * logger=audit}) so it can be routed or kept on its own. Never the Authorization header nor request
 * values: only what the exporter decided.
 */
final class AuditLog {
  private static final Logger log =
      LoggerFactory.getLogger("io.github.synapsebgu.exporter.admin.audit");
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE");

  private AuditLog() {}

  static void record(
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

  private static String remote(InetSocketAddress remote) {
    if (remote == null) {
      return "unknown";
    }
    String host =
        remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + remote.getPort();
  }
}

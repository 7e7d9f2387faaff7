package io.github.synapsebgu.exporter.admin;

import com.sun.net.httpserver.HttpExchange;
import io.github.synapsebgu.exporter.homeserver.Homeserver;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Fleet mode's admin API: today's endpoints, bodies and rules per homeserver under {@code
 * /api/v1/homeservers/NAME/} ({@code status}, {@code enabled}, {@code jobs}). Each homeserver's
 * {@link AdminTarget} lives as long as its {@link Homeserver}. An unknown NAME is a 404 in the
 * API's JSON shape, after the token check (so the API does not tell strangers which names exist).
 */
final class FleetAdmin implements AutoCloseable {
  static final String PREFIX = "/api/v1/homeservers/";
  private static final String PATHS =
      "the admin API has /api/v1/homeservers/NAME/status, .../enabled and .../jobs";

  private final BearerAuth auth;
  private final AuditLog audit;
  private final Duration maxPause;
  private final Clock clock;
  private final Supplier<Map<String, Homeserver>> homeservers;
  private final Map<Homeserver, AdminTarget> targets = new IdentityHashMap<>(); // guarded by this

  FleetAdmin(
      BearerAuth auth,
      AuditLog audit,
      Duration maxPause,
      Clock clock,
      Supplier<Map<String, Homeserver>> homeservers) {
    this.auth = auth;
    this.audit = audit;
    this.maxPause = maxPause;
    this.clock = clock;
    this.homeservers = homeservers;
  }

  void add(Homeserver h) {
    AdminTarget t = new AdminTarget(PREFIX + h.name(), h, auth, audit, maxPause, clock);
    t.attach();
    synchronized (this) {
      targets.put(h, t);
    }
  }

  void remove(Homeserver h) {
    AdminTarget t;
    synchronized (this) {
      t = targets.remove(h);
    }
    if (t != null) {
      t.close();
    }
  }

  private synchronized AdminTarget target(Homeserver h) {
    return targets.get(h);
  }

  /** Every request: the web server routes no exact path in fleet mode, so all come here. */
  void serve(HttpExchange exchange, int status) throws IOException {
    long start = System.nanoTime();
    String path = exchange.getRequestURI().getPath();
    String rest = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
    int slash = rest.indexOf('/');
    String name = slash < 0 ? "" : rest.substring(0, slash);
    String what = slash < 0 ? "" : rest.substring(slash + 1);
    if (!List.of("status", "enabled", "jobs").contains(what) || name.isEmpty()) {
      AdminServer.refuse(List.of(), null, audit, exchange, 404, PATHS);
      return;
    }
    Homeserver h = homeservers.get().get(name);
    AdminTarget t = h == null ? null : target(h);
    if (t == null) {
      Reply reply;
      try {
        auth.check(exchange);
        reply =
            Reply.error(
                404,
                Outcome.BAD_REQUEST,
                "no such homeserver",
                "not a homeserver of this exporter (see /targets on the metrics listener)");
      } catch (ApiError e) {
        reply = e.reply();
      }
      Endpoint.send(exchange, reply);
      audit.record(
          "none",
          reply.outcome(),
          reply.status(),
          exchange.getRemoteAddress(),
          exchange.getRequestMethod(),
          "(unknown homeserver)",
          Map.of(),
          start);
      return;
    }
    for (Endpoint e : t.endpoints()) {
      if (e.path().equals(path)) {
        if (!e.method().equals(exchange.getRequestMethod())) {
          exchange.getResponseHeaders().set("Allow", e.method());
          AdminServer.refuse(t.endpoints(), t.metrics(), audit, exchange, 405, PATHS);
          return;
        }
        e.handle(exchange);
        return;
      }
    }
    AdminServer.refuse(List.of(), null, audit, exchange, 404, PATHS);
  }

  @Override
  public void close() {
    List<AdminTarget> all;
    synchronized (this) {
      all = new ArrayList<>(targets.values());
      targets.clear();
    }
    all.forEach(AdminTarget::close);
  }
}

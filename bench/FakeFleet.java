import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake fleet for bench/fleet.sh: one process on loopback answering Synapse's background-updates
 * status API for N homeservers under N path prefixes, /hs/hs00000/ to /hs/hsNNNNN/.
 *
 * <p>Homeserver i answers with one of the five status bodies recorded from a real Synapse 1.160
 * (/work/shared/docs/synapse-admin-api.md), chosen by i % 5, after checking the bearer token
 * (Synapse's own 401 body otherwise). Every 10th (i % 10 == 9) hangs: it takes the request and
 * answers nothing until HANG_MS later (longer than any client's timeout), without holding a thread.
 * Every 20th from 4 on (i % 20 == 4) fails with a 500. Every request is logged (time since start,
 * homeserver, client: o = anything else, b = blackbox_exporter by its User-Agent) and served at
 * GET /-/log?from=K as "ms index client" lines from entry K on, after a header line with the next
 * entry's number and the fake's clock ("# next K dropped D now_ms MS").
 *
 * <p>java FakeFleet PORT N TOKEN_FILE LIFETIME_S [HANG_MS [PORTS]]; exits by itself after LIFETIME_S.
 * Compiled with javac by bench/fleet.sh (never through the source launcher, whose compiler would
 * stay resident).
 */
public final class FakeFleet {
  static final String[] BODIES = {
    "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":\"populate_user_directory_process_users\",\"total_item_count\":0,\"total_duration_ms\":0.0,\"average_items_per_ms\":null}}}",
    "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":\"populate_stats_process_rooms\",\"total_item_count\":2,\"total_duration_ms\":4.0,\"average_items_per_ms\":0.5}}}",
    "{\"enabled\":true,\"current_updates\":{\"master\":{\"name\":\"populate_stats_process_rooms\",\"total_item_count\":12,\"total_duration_ms\":19.0,\"average_items_per_ms\":0.6357220412595005}}}",
    "{\"enabled\":false,\"current_updates\":{\"master\":{\"name\":\"room_membership_user_room_index\",\"total_item_count\":0,\"total_duration_ms\":0.0,\"average_items_per_ms\":null}}}",
    "{\"enabled\":true,\"current_updates\":{}}",
  };
  static final byte[] UNKNOWN_TOKEN =
      "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\",\"soft_logout\":false}"
          .getBytes(StandardCharsets.UTF_8);
  static final byte[] FAILED =
      "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Internal server error\"}".getBytes(StandardCharsets.UTF_8);
  static final byte[] NOT_FOUND =
      "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}"
          .getBytes(StandardCharsets.UTF_8);
  static final String STATUS = "/_synapse/admin/v1/background_updates/status";
  static final int LOG_CAPACITY = 2_000_000;

  final int count;
  final String bearer;
  final long hangMs;
  final long start = System.nanoTime();
  final byte[][] bodies = new byte[BODIES.length][];
  final ScheduledExecutorService hangs = Executors.newSingleThreadScheduledExecutor();
  // The request log, appended lock-free: slot k is claimed by next.getAndIncrement().
  final AtomicInteger next = new AtomicInteger();
  final int[] logMs = new int[LOG_CAPACITY];
  final int[] logWho = new int[LOG_CAPACITY];

  FakeFleet(int count, String token, long hangMs) {
    this.count = count;
    this.bearer = "Bearer " + token;
    this.hangMs = hangMs;
    for (int i = 0; i < BODIES.length; i++) {
      bodies[i] = BODIES[i].getBytes(StandardCharsets.UTF_8);
    }
  }

  static String name(int i) {
    return String.format("hs%05d", i);
  }

  void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (path.equals("/-/log")) {
      serveLog(ex);
      return;
    }
    int index = -1;
    if (path.startsWith("/hs/hs") && path.length() >= 11) {
      try {
        index = Integer.parseInt(path.substring(6, 11));
      } catch (NumberFormatException e) {
        index = -1;
      }
    }
    if (index < 0 || index >= count || !path.substring(11).equals(STATUS)) {
      send(ex, 404, NOT_FOUND);
      return;
    }
    String agent = ex.getRequestHeaders().getFirst("User-Agent");
    boolean blackbox = agent != null && agent.startsWith("Blackbox");
    int slot = next.getAndIncrement();
    if (slot < LOG_CAPACITY) {
      logMs[slot] = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      logWho[slot] = blackbox ? -1 - index : index;
    }
    if (!bearer.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      send(ex, 401, UNKNOWN_TOKEN);
    } else if (index % 10 == 9) {
      // Hang: no answer, no thread held; the connection is closed long after any client gave up.
      hangs.schedule(ex::close, hangMs, TimeUnit.MILLISECONDS);
    } else if (index % 20 == 4) {
      send(ex, 500, FAILED);
    } else {
      send(ex, 200, bodies[index % bodies.length]);
    }
  }

  void serveLog(HttpExchange ex) throws IOException {
    String query = ex.getRequestURI().getQuery();
    int from = query != null && query.startsWith("from=") ? Integer.parseInt(query.substring(5)) : 0;
    int to = Math.min(next.get(), LOG_CAPACITY);
    StringBuilder out = new StringBuilder();
    out.append("# next ").append(to).append(" dropped ").append(Math.max(0, next.get() - to));
    out.append(" now_ms ").append(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    out.append('\n');
    for (int k = Math.max(0, from); k < to; k++) {
      int who = logWho[k];
      out.append(logMs[k]).append(' ').append(who < 0 ? -1 - who : who);
      out.append(who < 0 ? " b\n" : " o\n");
    }
    byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain");
    send(ex, 200, body);
  }

  static void send(HttpExchange ex, int code, byte[] body) throws IOException {
    if (ex.getResponseHeaders().getFirst("Content-Type") == null) {
      ex.getResponseHeaders().set("Content-Type", "application/json");
    }
    ex.sendResponseHeaders(code, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int count = Integer.parseInt(args[1]);
    String token = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[2])),
            StandardCharsets.UTF_8).strip();
    long lifetime = Long.parseLong(args[3]);
    long hangMs = args.length > 4 ? Long.parseLong(args[4]) : 20_000;
    FakeFleet fleet = new FakeFleet(count, token, hangMs);
    int ports = args.length > 5 ? Integer.parseInt(args[5]) : 1;
    // Answers never block (hangs are scheduled), so a few threads serve everything.
    ThreadPoolExecutor workers = (ThreadPoolExecutor) Executors.newFixedThreadPool(4);
    // PORTS servers on PORT, PORT+1, ...: homeserver i is served on all, and reached by the
    // exporter on PORT + i % PORTS, so that the fleet spreads over that many routes (host:port),
    // as distinct hosts would; the log is shared.
    for (int k = 0; k < ports; k++) {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + k), 1024);
      server.createContext(
          "/",
          ex -> {
            try {
              fleet.handle(ex);
            } catch (IOException | RuntimeException e) {
              ex.close();
            }
          });
      server.setExecutor(workers);
      server.start();
    }
    System.out.println(
        "fake fleet: " + count + " homeservers on 127.0.0.1:" + port + " (+" + (ports - 1) + ")");
    Thread.sleep(TimeUnit.SECONDS.toMillis(lifetime));
    System.out.println("fake fleet: lifetime over, exiting");
    System.exit(0);
  }
}

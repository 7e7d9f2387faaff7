package io.github.synapsebgu.exporter.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A fleet of fake homeservers in one process, for the fleet polling harness ({@code
 * homeserver/FleetPollingBench}): one JDK HttpServer answers {@code /hs-I/...status} for every I
 * with a status body recorded from a real Synapse; every {@code hangEvery}-th homeserver never
 * answers (the exchange is held, then dropped after a minute). It records when each homeserver's
 * requests arrived, and {@code GET /stats} reports the lateness of the healthy ones: each gap
 * between two polls minus the interval. Started as its own JVM so that the harness measures only
 * the exporter's memory. Bound to the wildcard address, so that each homeserver can be reached on
 * its own loopback address (127.0.x.y: its own route, as real homeservers are); connections from
 * outside loopback are refused.
 */
public final class FakeFleet {
  private static final byte[] BODY = SynapseBodies.RUNNING_2.getBytes(StandardCharsets.UTF_8);

  private final int size;
  private final int hangEvery;
  private final long intervalMillis;
  private final long[][] arrivals; // per homeserver, arrival times in ms (a ring of the last 64)
  private final int[] counts;
  // Hung requests, oldest first, with when they arrived: dropped after a minute, longer than any
  // timeout the harness uses, so the exporter's own deadline always ends them first.
  private final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();

  private record Held(HttpExchange exchange, long sinceMillis) {}

  private final ScheduledExecutorService dropper = Executors.newSingleThreadScheduledExecutor();

  private FakeFleet(int size, int hangEvery, long intervalMillis) {
    this.size = size;
    this.hangEvery = hangEvery;
    this.intervalMillis = intervalMillis;
    this.arrivals = new long[size][64];
    this.counts = new int[size];
  }

  /** The URL of homeserver {@code i} on a fleet listening on {@code port}. */
  public static String url(int i, int port) {
    return "http://127.0." + (1 + i / 250) + "." + (1 + i % 250) + ":" + port + "/hs-" + i;
  }

  public static boolean hangs(int i, int hangEvery) {
    return hangEvery > 0 && i % hangEvery == hangEvery - 1;
  }

  /** Args: homeservers, hangEvery (0: none), interval in ms. Prints "port N" when listening. */
  public static void main(String[] args) throws IOException {
    FakeFleet fleet =
        new FakeFleet(
            Integer.parseInt(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]));
    HttpServer server = HttpServer.create(new InetSocketAddress(0), 4096);
    // The JDK server reads a new connection's request on its executor, blocking until it arrives:
    // enough threads that thousands of homeservers connecting in the first interval do not queue.
    server.setExecutor(Executors.newFixedThreadPool(64));
    server.createContext("/", fleet::handle);
    server.start();
    fleet.dropper.scheduleAtFixedRate(fleet::dropHeld, 5, 5, TimeUnit.SECONDS);
    System.out.println("port " + server.getAddress().getPort());
    System.out.flush();
  }

  private void handle(HttpExchange ex) throws IOException {
    InetAddress peer = ex.getRemoteAddress().getAddress();
    if (!peer.isLoopbackAddress()) {
      ex.close();
      return;
    }
    String path = ex.getRequestURI().getPath();
    if (path.equals("/reset")) { // the end of the warm-up: count from here
      for (int i = 0; i < size; i++) {
        synchronized (arrivals[i]) {
          counts[i] = 0;
        }
      }
      ex.sendResponseHeaders(204, -1);
      ex.close();
      return;
    }
    if (path.equals("/stats")) {
      byte[] stats = stats().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, stats.length);
      ex.getResponseBody().write(stats);
      ex.close();
      return;
    }
    int slash = path.indexOf('/', 4);
    int i = Integer.parseInt(path.substring(4, slash));
    synchronized (arrivals[i]) {
      arrivals[i][counts[i] % 64] = System.currentTimeMillis();
      counts[i]++;
    }
    if (hangs(i, hangEvery)) {
      held.add(
          new Held(
              ex, System.currentTimeMillis())); // never answered: the exporter's deadline ends it
      return;
    }
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, BODY.length);
    ex.getResponseBody().write(BODY);
    ex.close();
  }

  private void dropHeld() {
    long before = System.currentTimeMillis() - 60_000;
    Held h;
    while ((h = held.peek()) != null && h.sinceMillis() < before) {
      held.remove(h);
      h.exchange().close();
    }
  }

  /** Lateness of healthy homeservers' polls (gap minus interval) and requests per homeserver. */
  private String stats() {
    List<Long> lateness = new ArrayList<>();
    int polledHealthy = 0;
    int healthy = 0;
    long requests = 0;
    for (int i = 0; i < size; i++) {
      synchronized (arrivals[i]) {
        requests += counts[i];
        if (hangs(i, hangEvery)) {
          continue;
        }
        healthy++;
        if (counts[i] > 0) {
          polledHealthy++;
        }
        int n = Math.min(counts[i], 64);
        long[] times = new long[n];
        for (int k = 0; k < n; k++) {
          times[k] = arrivals[i][(counts[i] - n + k) % 64];
        }
        for (int k = 1; k < n; k++) {
          lateness.add(times[k] - times[k - 1] - intervalMillis);
        }
      }
    }
    long[] sorted = lateness.stream().mapToLong(Long::longValue).sorted().toArray();
    return String.format(
        Locale.ROOT,
        "requests=%d healthy=%d polled_healthy=%d gaps=%d lateness_p50_ms=%d lateness_p99_ms=%d"
            + " lateness_max_ms=%d%n",
        requests,
        healthy,
        polledHealthy,
        sorted.length,
        pct(sorted, 0.50),
        pct(sorted, 0.99),
        sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  @Override
  public String toString() {
    return "FakeFleet" + Arrays.asList(size, hangEvery);
  }
}

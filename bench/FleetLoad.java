import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated Prometheus replicas for bench/fleet.sh: each replica scrapes every target once per
 * interval, at a fixed offset within the interval derived from a hash of (replica, target) as
 * Prometheus spreads its scrapes, with a scrape timeout, reading the whole body, with Prometheus's
 * Accept header. Targets are lines of a file; each is put in place of {} in the URL template.
 *
 * <p>java FleetLoad URL_TEMPLATE TARGETS_FILE REPLICAS INTERVAL_S DURATION_S TIMEOUT_S HEALTHY_FILE
 *
 * <p>Prints one JSON object: scrapes started, answered 200, other codes, errors (timeouts among
 * them), and latency percentiles (ms) of all scrapes and of those of the targets in HEALTHY_FILE.
 */
public final class FleetLoad {
  static final String ACCEPT =
      "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

  public static void main(String[] args) throws Exception {
    String template = args[0];
    List<String> targets = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        targets.add(line.strip());
      }
    }
    int replicas = Integer.parseInt(args[2]);
    long intervalMs = (long) (Double.parseDouble(args[3]) * 1000);
    long durationMs = (long) (Double.parseDouble(args[4]) * 1000);
    Duration timeout = Duration.ofMillis((long) (Double.parseDouble(args[5]) * 1000));
    java.util.Set<String> healthy = new java.util.HashSet<>();
    for (String line : Files.readAllLines(Path.of(args[6]), StandardCharsets.UTF_8)) {
      healthy.add(line.strip());
    }

    int rounds = (int) (durationMs / intervalMs);
    int total = rounds * replicas * targets.size();
    long[] latencyNs = new long[total];
    boolean[] healthyScrape = new boolean[total];
    Arrays.fill(latencyNs, -1);
    AtomicInteger slots = new AtomicInteger();
    AtomicLong ok = new AtomicLong();
    AtomicLong otherCode = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    CountDownLatch done = new CountDownLatch(total);

    // One client per replica, as two Prometheus servers would have their own connections.
    HttpClient[] clients = new HttpClient[replicas];
    for (int r = 0; r < replicas; r++) {
      clients[r] =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(timeout)
              .executor(Executors.newFixedThreadPool(2))
              .build();
    }
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    long t0 = System.nanoTime();
    for (int r = 0; r < replicas; r++) {
      for (int t = 0; t < targets.size(); t++) {
        String target = targets.get(t);
        long offsetMs = Math.floorMod((long) (target + "#" + r).hashCode() * 2654435761L, intervalMs);
        URI uri = URI.create(template.replace("{}", target));
        HttpRequest request =
            HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", ACCEPT).GET().build();
        boolean isHealthy = healthy.contains(target);
        HttpClient client = clients[r];
        for (int k = 0; k < rounds; k++) {
          long at = offsetMs + k * intervalMs;
          timer.schedule(
              () -> {
                int slot = slots.getAndIncrement();
                healthyScrape[slot] = isHealthy;
                long start = System.nanoTime();
                client
                    .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete(
                        (response, failure) -> {
                          latencyNs[slot] = System.nanoTime() - start;
                          if (failure != null) {
                            errors.incrementAndGet();
                          } else if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                            bytes.addAndGet(response.body().length);
                          } else {
                            otherCode.incrementAndGet();
                          }
                          done.countDown();
                        });
              },
              at,
              TimeUnit.MILLISECONDS);
        }
      }
    }
    boolean finished = done.await(durationMs + timeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
    double wallS = (System.nanoTime() - t0) / 1e9;
    timer.shutdownNow();
    StringBuilder out = new StringBuilder("{");
    out.append(String.format(Locale.ROOT, "\"targets\": %d, \"replicas\": %d, \"rounds\": %d, ",
        targets.size(), replicas, rounds));
    out.append(String.format(Locale.ROOT,
        "\"scrapes\": %d, \"ok\": %d, \"other_code\": %d, \"errors\": %d, \"finished\": %b, ",
        slots.get(), ok.get(), otherCode.get(), errors.get(), finished));
    out.append(String.format(Locale.ROOT, "\"wall_s\": %.1f, \"ok_bytes_avg\": %.0f, ",
        wallS, ok.get() == 0 ? 0.0 : (double) bytes.get() / ok.get()));
    out.append("\"all_ms\": ").append(percentiles(latencyNs, healthyScrape, false)).append(", ");
    out.append("\"healthy_ms\": ").append(percentiles(latencyNs, healthyScrape, true));
    out.append("}");
    System.out.println(out);
    System.exit(0);
  }

  static String percentiles(long[] latencyNs, boolean[] healthy, boolean onlyHealthy) {
    long[] picked =
        java.util.stream.IntStream.range(0, latencyNs.length)
            .filter(i -> latencyNs[i] >= 0 && (!onlyHealthy || healthy[i]))
            .mapToLong(i -> latencyNs[i])
            .sorted()
            .toArray();
    if (picked.length == 0) {
      return "null";
    }
    return String.format(Locale.ROOT, "{\"n\": %d, \"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, \"max\": %.3f}",
        picked.length, at(picked, 0.50), at(picked, 0.90), at(picked, 0.99),
        picked[picked.length - 1] / 1e6);
  }

  static double at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
  }

  private FleetLoad() {}

  static {
    // The JDK client keeps idle connections 20 min by default; Prometheus keeps them open too.
    System.setProperty("jdk.httpclient.keepalive.timeout", "1200");
    System.setProperty("jdk.httpclient.connectionPoolSize", "0");
  }
}

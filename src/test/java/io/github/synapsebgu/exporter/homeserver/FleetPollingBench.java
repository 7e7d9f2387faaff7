package io.github.synapsebgu.exporter.homeserver;

import io.github.synapsebgu.exporter.config.HomeserverConfig;
import io.github.synapsebgu.exporter.secrets.Redactor;
import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import io.github.synapsebgu.exporter.testing.FakeFleet;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The fleet polling harness (issue 15, "Polling at scale"); a {@code main}, not a test: N
 * homeservers in this JVM against a {@link FakeFleet} in a child JVM, every tenth hanging, then
 * heap after GC per homeserver, RSS, threads, and the lateness of healthy homeservers' polls.
 *
 * <pre>
 * mvn -o -B -q test-compile &amp;&amp; mvn -o -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -XX:+UseSerialGC -Xss256k -XX:TieredStopAtLevel=1 -Xmx256m \
 *   -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *   io.github.synapsebgu.exporter.homeserver.FleetPollingBench 10000 60 30000 10000 10
 * </pre>
 *
 * Args: homeservers, seconds to measure after a warm-up of one interval and a timeout (default 40),
 * interval ms (default 6000), timeout ms (default 2000), hangEvery (default 10). Scaled down from
 * 30 s / 10 s by 5: with blocking I/O the same share of threads is held by the hung homeservers.
 */
public final class FleetPollingBench {
  private FleetPollingBench() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    long interval = args.length > 2 ? Long.parseLong(args[2]) : 6_000;
    long timeout = args.length > 3 ? Long.parseLong(args[3]) : 2_000;
    int hangEvery = args.length > 4 ? Integer.parseInt(args[4]) : 10;

    Process fleet =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-Xmx512m",
                // Keep every homeserver's connection alive, as a real fleet would (default 200).
                "-Dsun.net.httpserver.maxIdleConnections=100000",
                "-cp",
                System.getProperty("java.class.path"),
                FakeFleet.class.getName(),
                Integer.toString(n),
                Integer.toString(hangEvery),
                Long.toString(interval))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      String line =
          new BufferedReader(new InputStreamReader(fleet.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      int port = Integer.parseInt(line.substring("port ".length()));
      run(n, seconds, interval, timeout, hangEvery, port);
    } finally {
      fleet.destroy();
    }
  }

  private static void run(int n, int seconds, long interval, long timeout, int hangEvery, int port)
      throws Exception {
    long heapBefore = heapAfterGc();
    Fleet fleet = new Fleet();
    List<Homeserver> all = new ArrayList<>(n);
    long startNanos = System.nanoTime();
    for (int i = 0; i < n; i++) {
      HomeserverConfig config =
          new HomeserverConfig(
              "hs-" + i,
              Optional.of(
                  new SynapseHttpSettings(
                      URI.create(FakeFleet.url(i, port)),
                      Duration.ofMillis(timeout),
                      Optional.empty(),
                      false)),
              Optional.of(TokenSource.fixed(new Secret("bench-token-" + i), "bench")),
              Duration.ofMillis(timeout),
              Duration.ofMillis(interval),
              Duration.ofMinutes(5));
      all.add(fleet.homeserver(config));
    }
    double buildSeconds = (System.nanoTime() - startNanos) / 1e9;
    if (System.getProperty("bench.noStart") == null) {
      all.forEach(Homeserver::start);
    }
    // Warm-up: every homeserver's first poll (spread over one interval) and a timeout, JIT
    // compiling both JVMs; the figures count from its end.
    Thread.sleep(interval + timeout);
    get(port, "/reset");
    long cpuStart = cpuNanos();
    int peakThreads = 0;
    for (int s = 0; s < seconds; s++) {
      Thread.sleep(1_000);
      peakThreads = Math.max(peakThreads, ManagementFactory.getThreadMXBean().getThreadCount());
    }
    long heapAfter = heapAfterGc();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    String rss = vm("VmRSS");
    String hwm = vm("VmHWM");
    double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;
    String stats = get(port, "/stats").trim();
    long ready = all.stream().filter(Homeserver::ready).count();
    System.out.printf(
        Locale.ROOT,
        "N=%d interval_ms=%d timeout_ms=%d hang_every=%d build_s=%.2f ready=%d"
            + " heap_per_homeserver_bytes=%d heap_total_mib=%.1f rss=%s hwm=%s threads=%d"
            + " peak_threads=%d cpu_s=%.1f %s%n",
        n,
        interval,
        timeout,
        hangEvery,
        buildSeconds,
        ready,
        (heapAfter - heapBefore) / n,
        heapAfter / 1048576.0,
        rss,
        hwm,
        threads,
        peakThreads,
        cpuSeconds,
        stats);
    if (System.getProperty("bench.pause") != null) {
      System.out.println("pid " + ProcessHandle.current().pid() + "; press enter");
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    all.forEach(Homeserver::close);
    fleet.close();
  }

  /** What the daemon holds once for all homeservers, polls spread as in a fleet. */
  private static final class Fleet implements AutoCloseable {
    private final SharedResources shared = SharedResources.create("bench", true);

    Homeserver homeserver(HomeserverConfig config) {
      return new Homeserver(config, Clock.systemUTC(), shared, Redactor.of());
    }

    @Override
    public void close() {
      shared.close();
    }
  }

  private static String get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** CPU time of this process so far (every thread). */
  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String vm(String key) throws Exception {
    for (String l : Files.readAllLines(new File("/proc/self/status").toPath())) {
      if (l.startsWith(key + ":")) {
        return l.substring(key.length() + 1).trim().replace(" ", "");
      }
    }
    return "?";
  }
}

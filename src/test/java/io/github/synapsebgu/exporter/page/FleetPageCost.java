package io.github.synapsebgu.exporter.page;

import io.github.synapsebgu.exporter.testing.Wire;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * A measurement, not a test: the fleet page of N homeservers (default 10,000), each a real {@link
 * io.github.synapsebgu.exporter.homeserver.Homeserver} polled once (admin API and metrics endpoint)
 * from fake Synapses with an update running, then the page and its JSON fetched over HTTP. Prints
 * render time (median and worst of the fetches after warm-up) and bytes.
 *
 * <p>{@code java -cp target/test-classes:target/classes:$(cat cp.txt)
 * io.github.synapsebgu.exporter.page.FleetPageCost 10000}
 */
public final class FleetPageCost {
  private FleetPageCost() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int perSynapse = 500; // homeservers sharing one fake Synapse (each has its own client)
    Fleet fleet = new Fleet(Duration.ofHours(1));
    try {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String name = String.format(Locale.ROOT, "hs-%05d.example.org", i);
        if (i % perSynapse == 0) {
          fleet.add(name);
        } else {
          fleet.addSharing(
              name, String.format(Locale.ROOT, "hs-%05d.example.org", i - i % perSynapse));
        }
      }
      URI base = fleet.start();
      System.out.printf(
          Locale.ROOT,
          "%d homeservers built and polled once in %.1f s%n",
          n,
          (System.nanoTime() - t0) / 1e9);
      inProcess(fleet);
      measure(base.resolve("/"), "fleet page /");
      System.out.printf(
          Locale.ROOT,
          "fleet page / gzipped: %,d bytes%n",
          Wire.getBytes(base.resolve("/"), "gzip").body().length);
      measure(base.resolve("/api/v1/overview"), "JSON /api/v1/overview");
      measure(base.resolve("/?homeserver=hs-00001.example.org"), "one homeserver's view");
      System.out.println("serving at " + base);
      Thread.sleep(Long.getLong("cost.hold.seconds", 0) * 1000); // time to fetch it by other means
      Runtime rt = Runtime.getRuntime();
      System.gc();
      System.out.printf(
          Locale.ROOT,
          "heap used after: %.0f MiB%n",
          (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
    } finally {
      fleet.close();
    }
  }

  /** The parts, without HTTP: building the views (cached and not) and writing the table. */
  private static void inProcess(Fleet fleet) {
    StatusPage page =
        (StatusPage)
            StatusPage.routes(fleet::homeservers, java.time.Clock.systemUTC(), "cost", "/metrics")
                .get("/");
    long t = System.nanoTime();
    Overview first = page.overview();
    long build = System.nanoTime() - t;
    long cached = Long.MAX_VALUE;
    long render = Long.MAX_VALUE;
    int chars = 0;
    for (int i = 0; i < 10; i++) {
      t = System.nanoTime();
      Overview o = page.overview();
      cached = Math.min(cached, System.nanoTime() - t);
      t = System.nanoTime();
      chars = FleetView.render(o).length();
      render = Math.min(render, System.nanoTime() - t);
    }
    System.out.printf(
        Locale.ROOT,
        "in process: views built %.1f ms, views reused %.1f ms, table written %.1f ms (%,d chars, %d rows)%n",
        build / 1e6,
        cached / 1e6,
        render / 1e6,
        chars,
        first.homeservers().size());
  }

  private static void measure(URI uri, String what) throws Exception {
    int warmup = 5;
    int runs = 15;
    long[] nanos = new long[runs];
    long bytes = 0;
    for (int i = 0; i < warmup + runs; i++) {
      long t = System.nanoTime();
      HttpResponse<String> r = Wire.get(uri);
      long took = System.nanoTime() - t;
      if (r.statusCode() != 200) {
        throw new IllegalStateException(uri + ": " + r.statusCode());
      }
      bytes = r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (i >= warmup) {
        nanos[i - warmup] = took;
      }
    }
    java.util.Arrays.sort(nanos);
    System.out.printf(
        Locale.ROOT,
        "%-28s %,11d bytes  median %6.1f ms  worst %6.1f ms (over %d fetches on loopback)%n",
        what,
        bytes,
        nanos[runs / 2] / 1e6,
        nanos[runs - 1] / 1e6,
        runs);
  }
}

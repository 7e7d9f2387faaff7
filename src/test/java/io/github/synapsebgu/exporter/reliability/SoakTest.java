package io.github.synapsebgu.exporter.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.Behaviours;
import io.github.synapsebgu.exporter.testing.FaultySocketServer;
import io.github.synapsebgu.exporter.testing.FaultySocketServer.Behaviour;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 64 scrapers for {@code -Dsoak.seconds} (default 15; CI runs 60) while the homeserver flips
 * between healthy and one fault after another every two seconds. No scrape may fail, the poll
 * counters must add up, and heap after GC and thread count must stay flat.
 */
@Tag("soak")
class SoakTest {
  static final int SECONDS = Integer.getInteger("soak.seconds", 15);
  static final int SCRAPERS = 64;

  record Counts(long successes, long failures, long pollsTotal) {}

  @Test
  void sixtyFourScrapersWhileTheHomeserverFlipsBetweenHealthyAndFaulty() throws Exception {
    try (FaultySocketServer synapse = FaultySocketServer.start();
        ExporterUnderTest exporter =
            ExporterUnderTest.start(
                synapse.url(),
                Map.of(
                    "synapse.timeout", "500ms", "poll.interval", "1s", "poll.stale-after", "1m"))) {
      AtomicReference<Counts> counts = new AtomicReference<>(new Counts(0, 0, 0));
      long initialPolls = exporter.daemon().poller().snapshot().pollsTotal();
      long initialFailures = exporter.daemon().poller().snapshot().up() ? 0 : 1;
      counts.set(new Counts(initialPolls - initialFailures, initialFailures, initialPolls));
      exporter
          .daemon()
          .poller()
          .addListener(
              s ->
                  counts.updateAndGet(
                      c ->
                          new Counts(
                              c.successes() + (s.up() ? 1 : 0),
                              c.failures() + (s.up() ? 0 : 1),
                              s.pollsTotal())));

      List<Behaviour> faults =
          List.of(
              Behaviours.resetMidResponse(),
              Behaviours.emptyResponse(),
              Behaviours.malformedChunked(),
              Behaviours.randomBytesThenClose(),
              Behaviours.headersThenSilence(3000),
              Behaviours.drip(),
              Behaviours.hugeBody(),
              Behaviours.status(200, "text/html", "<html></html>"),
              Behaviours.status(503, "text/html", "<h1>503</h1>"),
              Behaviours.redirect("http://127.0.0.1:1/elsewhere"));
      ExecutorService clientThreads = Executors.newFixedThreadPool(4);
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(clientThreads)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      HttpRequest scrape =
          HttpRequest.newBuilder(exporter.metricsUrl()).timeout(Duration.ofSeconds(10)).build();

      AtomicLong scrapes = new AtomicLong();
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      // A histogram, not a list: the test must not grow its own heap while measuring ours.
      AtomicLongArray latencyMs = new AtomicLongArray(10_001);
      AtomicBoolean paused = new AtomicBoolean();
      long end = System.nanoTime() + SECONDS * 1_000_000_000L;
      ExecutorService scrapers = Executors.newFixedThreadPool(SCRAPERS);
      for (int i = 0; i < SCRAPERS; i++) {
        scrapers.submit(
            () -> {
              double lastPolls = 0;
              while (System.nanoTime() < end) {
                long start = System.nanoTime();
                try {
                  if (paused.get()) {
                    Thread.sleep(20);
                    continue;
                  }
                  HttpResponse<String> r = http.send(scrape, HttpResponse.BodyHandlers.ofString());
                  latencyMs.incrementAndGet(
                      (int) Math.min(10_000, (System.nanoTime() - start) / 1_000_000));
                  Map<String, Double> samples =
                      new ExporterUnderTest.Scrape(r.statusCode(), r.body(), 0).samples();
                  Double polls = samples.get("synapse_background_updates_polls_total");
                  // Each exposition is one snapshot: counters never go back, errors <= polls.
                  if (r.statusCode() != 200
                      || polls == null
                      || polls < lastPolls
                      || errorSum(samples) > polls
                      || !samples.containsKey("synapse_background_updates_up")) {
                    failures.add("status " + r.statusCode() + " polls " + polls);
                  } else {
                    lastPolls = polls;
                  }
                  scrapes.incrementAndGet();
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception | AssertionError e) {
                  failures.add(e.toString());
                }
              }
            });
      }

      // Flip: 2 s healthy, 2 s of the next fault, and so on.
      Thread.sleep(3000);
      int threadsAtStart = Resources.threadsExceptWorkers("web");
      long heapAtStart = retainedHeap(paused);
      List<Long> heapTrend = new ArrayList<>(List.of(heapAtStart));
      int flip = 0;
      while (System.nanoTime() < end - 2_000_000_000L) {
        synapse.behave(
            flip % 2 == 0 ? faults.get((flip / 2) % faults.size()) : Behaviours.healthy());
        flip++;
        Thread.sleep(2000);
        if (flip % 5 == 0) {
          heapTrend.add(retainedHeap(paused));
        }
      }
      synapse.behave(Behaviours.healthy());
      long heapAtEnd = retainedHeap(paused);
      int threadsAtEnd = Resources.threadsExceptWorkers("web");
      int workersAtEnd = Resources.workers("web");
      scrapers.shutdown();
      assertThat(scrapers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

      // Compare the exposition with the poll listener's own count, between two polls.
      ExporterUnderTest.Scrape last = exporter.scrape();
      for (int i = 0;
          i < 50
              && last.value("synapse_background_updates_polls_total") != counts.get().pollsTotal();
          i++) {
        Thread.sleep(20);
        last = exporter.scrape();
      }
      Counts c = counts.get();
      double pollsTotal = last.value("synapse_background_updates_polls_total");
      System.out.printf(
          "soak seconds=%d scrapers=%d scrapes=%d failed=%d p50_ms=%d p99_ms=%d max_ms=%d"
              + " polls=%.0f successes=%d failures=%d flips=%d threads %d->%d (+%d web workers) heap_after_gc_kib %s%n",
          SECONDS,
          SCRAPERS,
          scrapes.get(),
          failures.size(),
          percentile(latencyMs, 0.50),
          percentile(latencyMs, 0.99),
          percentile(latencyMs, 1.0),
          pollsTotal,
          c.successes(),
          c.failures(),
          flip,
          threadsAtStart,
          threadsAtEnd,
          workersAtEnd,
          heapTrend.stream().map(h -> h / 1024).toList() + "->" + heapAtEnd / 1024);

      assertThat(failures).as("failed scrapes").isEmpty();
      assertThat(scrapes.get()).as("scrapes done").isGreaterThan(SECONDS * 20L);
      assertThat(pollsTotal).isEqualTo((double) c.pollsTotal());
      assertThat(pollsTotal).isEqualTo((double) (c.successes() + c.failures()));
      assertThat(pollsTotal).isEqualTo(c.successes() + errorSum(last.samples()));
      assertThat(c.failures()).isPositive();
      assertThat(c.successes()).isPositive();
      assertThat(threadsAtEnd).isLessThanOrEqualTo(threadsAtStart + 2);
      // Workers start on demand, up to the pool's maximum (32), and stop after a minute idle.
      assertThat(workersAtEnd).isBetween(1, 32);
      assertThat(heapAtEnd).isLessThanOrEqualTo(heapAtStart + 4L * 1024 * 1024);
      clientThreads.shutdownNow();
    }
  }

  /**
   * Heap after GC with the scrapers paused and their requests finished: what is retained, not what
   * 64 requests happen to have in flight.
   */
  private static long retainedHeap(AtomicBoolean paused) throws InterruptedException {
    paused.set(true);
    Thread.sleep(500);
    long heap = Resources.heapAfterGc();
    paused.set(false);
    return heap;
  }

  private static long percentile(AtomicLongArray histogram, double q) {
    long total = 0;
    for (int i = 0; i < histogram.length(); i++) {
      total += histogram.get(i);
    }
    long seen = 0;
    for (int i = 0; i < histogram.length(); i++) {
      seen += histogram.get(i);
      if (seen >= Math.ceil(q * total)) {
        return i;
      }
    }
    return histogram.length() - 1;
  }

  static double errorSum(Map<String, Double> samples) {
    return samples.entrySet().stream()
        .filter(e -> e.getKey().startsWith("synapse_background_updates_poll_errors_total{"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }
}

package io.github.synapsebgu.exporter.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.SlowClientListeners;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that take forever on our own listener: idle connections, requests sent one byte a second,
 * responses never read. They may hold a worker until their deadline, never longer, and never starve
 * a scrape that has a worker to go to.
 */
class SlowClientsTest {
  static final Duration DEADLINE = Duration.ofSeconds(2);

  final List<AutoCloseable> open = new ArrayList<>();
  final HttpClient http = SlowClientListeners.http11();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private WebServer server(int threads, int queue) throws IOException {
    WebServer web =
        SlowClientListeners.listener("slow-test")
            .threads(threads)
            .queue(queue)
            .requestTimeout(DEADLINE)
            .responseTimeout(DEADLINE)
            .start();
    open.add(web);
    return web;
  }

  private long scrapeMillis(InetSocketAddress addr) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + addr.getPort() + "/metrics"))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("up 1\n");
    return (System.nanoTime() - start) / 1_000_000;
  }

  private List<SlowClient> slowlorises(InetSocketAddress addr, int n) throws IOException {
    List<SlowClient> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SlowClient c = new SlowClient(addr, 1000);
      open.add(c);
      clients.add(c);
    }
    return clients;
  }

  private void idleConnections(InetSocketAddress addr, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      Socket s = new Socket();
      s.connect(addr, 2000);
      open.add(s);
    }
  }

  private static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && !t.getName().endsWith("deadlines"))
        .count();
  }

  @Test
  void hundredsOfIdleConnectionsAndAFewSlowlorisesDoNotSlowScrapes() throws Exception {
    WebServer web = server(4, 64);
    InetSocketAddress addr = web.address();
    idleConnections(addr, 300);
    List<SlowClient> slow = slowlorises(addr, 3); // one worker left for scrapes
    Thread.sleep(300); // their first bytes are in: they hold workers now

    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      millis.add(scrapeMillis(addr));
    }
    System.out.printf("idle=300 slowloris=3 threads=4 scrape_ms=%s%n", millis);
    // Had the silent connections taken workers, these scrapes would have waited for deadlines.
    assertThat(millis).allMatch(ms -> ms < 500);

    Thread.sleep(DEADLINE.toMillis() + 1500);
    assertThat(slow)
        .allSatisfy(
            c ->
                assertThat(c.closedAfterSeconds())
                    .as("closed by the server after (s)")
                    .isBetween(DEADLINE.toSeconds() - 0.1, DEADLINE.toSeconds() + 1.5));
    assertThat(web.timedOutExchanges()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void moreSlowlorisesThanWorkersDelayAScrapeByAtMostTheDeadline() throws Exception {
    WebServer web = server(4, 64);
    InetSocketAddress addr = web.address();
    slowlorises(addr, 12);
    Thread.sleep(300);

    long ms = scrapeMillis(addr);
    System.out.printf("slowloris=12 threads=4 scrape_ms=%d%n", ms);
    // Bounded, not starved: the slow ones lose their workers at their deadline (counted from
    // their first byte, so those queued behind them do not each get a fresh one).
    assertThat(ms).isLessThan(DEADLINE.toMillis() + 1500);
    // Twelve slow clients, four threads: they queue rather than each getting a thread.
    assertThat(threadsNamed("slow-test-")).isEqualTo(4);
    assertThat(scrapeMillis(addr)).isLessThan(500);
  }

  @Test
  void whenWorkersAndQueueAreFullNewConnectionsAreClosedAtOnce() throws Exception {
    WebServer web = server(2, 2);
    InetSocketAddress addr = web.address();
    slowlorises(addr, 10);
    Thread.sleep(500);
    assertThat(web.rejectedConnections()).isGreaterThanOrEqualTo(6);
    // Shed load recovers by itself once the slow ones hit their deadline.
    Thread.sleep(DEADLINE.toMillis() + 1000);
    assertThat(scrapeMillis(addr)).isLessThan(500);
  }

  @Test
  void aClientThatNeverReadsItsResponseLosesItsWorkerAtTheDeadline() throws Exception {
    WebServer web = server(1, 16);
    InetSocketAddress addr = web.address();
    Socket lazy = new Socket();
    open.add(lazy);
    lazy.setReceiveBufferSize(4096);
    lazy.connect(addr, 2000);
    lazy.getOutputStream()
        .write("GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    lazy.getOutputStream().flush();
    Thread.sleep(300); // the only worker is now stuck writing 8 MiB nobody reads

    long ms = scrapeMillis(addr);
    System.out.printf("response never read, threads=1: next scrape_ms=%d%n", ms);
    assertThat(ms).isLessThan(DEADLINE.toMillis() + 1500);
    assertThat(web.timedOutExchanges()).isEqualTo(1);
  }

  @Test
  void theDaemonsOwnListenerShrugsOffIdleAndSlowClients() throws Exception {
    try (FakeSynapse synapse = FakeSynapse.start();
        ExporterUnderTest exporter = ExporterUnderTest.start(synapse.url(), Map.of())) {
      InetSocketAddress addr = exporter.daemon().address();
      idleConnections(addr, 300);
      slowlorises(addr, 16);
      Thread.sleep(300);
      List<Long> millis = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        ExporterUnderTest.Scrape s = exporter.scrape();
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.value("synapse_background_updates_up")).isEqualTo(1.0);
        millis.add(s.millis());
      }
      System.out.printf("daemon defaults: idle=300 slowloris=16 scrape_ms=%s%n", millis);
      assertThat(millis).allMatch(ms -> ms < 500);
    }
  }
}

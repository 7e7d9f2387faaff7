package io.github.synapsebgu.exporter.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.http.WebServer;
import io.prometheus.metrics.config.ExporterFilterProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScrapeEndpointTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String OPENMETRICS =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final String PROTOBUF =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
          + " encoding=delimited";

  /** What Prometheus 2.x and 3.x send by default. */
  private static final String PROMETHEUS =
      "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;"
          + "version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

  private final AtomicReference<Object> version = new AtomicReference<>("poll-1");
  private final AtomicLong pollValue = new AtomicLong(1);
  private final AtomicInteger pollCollects = new AtomicInteger();
  private final AtomicLong scrapeValue = new AtomicLong(100);
  private final PerPollRegistry perPoll = new PerPollRegistry();
  private final PrometheusRegistry perScrape = new PrometheusRegistry();
  private WebServer server;

  @BeforeEach
  void start() throws IOException {
    perPoll.register(versioned(gauge("aaa_poll_value", "Per poll.", pollValue, pollCollects)));
    perPoll.register(
        versioned(gauge("aab_poll_constant", "Per poll too.", new AtomicLong(7), null)));
    PrometheusRegistry reference = new PrometheusRegistry();
    reference.register(gauge("aaa_poll_value", "Per poll.", pollValue, null));
    reference.register(gauge("aab_poll_constant", "Per poll too.", new AtomicLong(7), null));
    reference.register(gauge("zzz_scrape_value", "Per scrape.", scrapeValue, null));
    server =
        WebServer.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .route("/metrics", new ScrapeEndpoint(PrometheusProperties.get(), perPoll, perScrape))
            // The Java client's own handler over the same metrics, as the reference.
            .route("/reference", new MetricsHandler(PrometheusProperties.get(), reference))
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The test's per-poll collectors share one key, {@link #version}, set by each test. */
  private PerPollCollector versioned(Collector collector) {
    return keyed(collector, version::get);
  }

  private static PerPollCollector keyed(Collector collector, Supplier<Object> key) {
    return new PerPollCollector() {
      @Override
      public MetricSnapshots collect() {
        return MetricSnapshots.of(collector.collect());
      }

      @Override
      public Object cacheKey() {
        return key.get();
      }
    };
  }

  private static Collector gauge(
      String name, String help, AtomicLong value, AtomicInteger collects) {
    return new Collector() {
      @Override
      public MetricSnapshot collect() {
        if (collects != null) {
          collects.incrementAndGet();
        }
        return GaugeSnapshot.builder()
            .name(name)
            .help(help)
            .dataPoint(
                GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("kind", "test"))
                    .value(value.get())
                    .build())
            .build();
      }
    };
  }

  private void addPerScrapeMetric() {
    perScrape.register(gauge("zzz_scrape_value", "Per scrape.", scrapeValue, null));
  }

  private HttpResponse<byte[]> get(String path, String accept, String encoding) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
            .timeout(Duration.ofSeconds(10));
    if (accept != null) {
      request.header("Accept", accept);
    }
    if (encoding != null) {
      request.header("Accept-Encoding", encoding);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private String text(String path) throws Exception {
    HttpResponse<byte[]> r = get(path, null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", OPENMETRICS, PROTOBUF, PROMETHEUS})
  void servesExactlyWhatTheJavaClientWouldInEveryFormat(String accept) throws Exception {
    String header = accept.isEmpty() ? null : accept;
    for (boolean withPerScrape : new boolean[] {false, true}) {
      if (withPerScrape) {
        addPerScrapeMetric();
      }
      for (String encoding : new String[] {null, "gzip"}) {
        HttpResponse<byte[]> ours = get("/metrics", header, encoding);
        HttpResponse<byte[]> theirs = get("/reference", header, encoding);
        assertThat(ours.statusCode()).isEqualTo(200);
        assertThat(ours.headers().firstValue("Content-Type"))
            .isEqualTo(theirs.headers().firstValue("Content-Type"));
        assertThat(ours.headers().firstValue("Content-Encoding"))
            .isEqualTo(theirs.headers().firstValue("Content-Encoding"));
        byte[] ourBody = encoding == null ? ours.body() : gunzip(ours.body());
        byte[] theirBody = encoding == null ? theirs.body() : gunzip(theirs.body());
        if (withPerScrape) {
          assertThat(ourBody).isEqualTo(theirBody);
        } else {
          // The reference also has the per-scrape gauge, which sorts last.
          assertThat(new String(theirBody, StandardCharsets.ISO_8859_1))
              .contains(new String(ourBody, StandardCharsets.ISO_8859_1).replace("# EOF\n", ""));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void endsAnOpenMetricsBodyWithExactlyOneEof(boolean withPerScrape) throws Exception {
    if (withPerScrape) {
      addPerScrapeMetric();
    }
    String body = new String(get("/metrics", OPENMETRICS, null).body(), StandardCharsets.UTF_8);
    assertThat(body).endsWith("# EOF\n").containsOnlyOnce("# EOF");
    assertThat(body.contains("zzz_scrape_value")).isEqualTo(withPerScrape);
  }

  @Test
  void collectsPerPollMetricsOncePerVersionAndPerScrapeMetricsEveryTime() throws Exception {
    addPerScrapeMetric();
    for (int i = 0; i < 5; i++) {
      scrapeValue.set(200 + i);
      assertThat(text("/metrics")).contains("zzz_scrape_value{kind=\"test\"} " + (200 + i) + ".0");
    }
    assertThat(pollCollects).hasValue(1);

    // A value that changes without a new version is not seen: the version is the contract.
    pollValue.set(2);
    assertThat(text("/metrics")).contains("aaa_poll_value{kind=\"test\"} 1.0");
    version.set("poll-2");
    assertThat(text("/metrics")).contains("aaa_poll_value{kind=\"test\"} 2.0");
    assertThat(text("/metrics")).contains("aaa_poll_value{kind=\"test\"} 2.0");
    assertThat(pollCollects).hasValue(2);
  }

  @Test
  void rewritesWhenAnyOneCollectorsOwnKeyChanges() throws Exception {
    // A second collector with a key of its own, as the JVM metrics have next to a poll's.
    AtomicLong sample = new AtomicLong(1);
    AtomicReference<Object> sampleKey = new AtomicReference<>("sample-1");
    perPoll.register(keyed(gauge("aac_sampled", "Sampled.", sample, null), sampleKey::get));
    assertThat(text("/metrics")).contains("aac_sampled{kind=\"test\"} 1.0");
    sample.set(2);
    assertThat(text("/metrics")).contains("aac_sampled{kind=\"test\"} 1.0");
    sampleKey.set("sample-2"); // the poll's key (version) is unchanged
    assertThat(text("/metrics")).contains("aac_sampled{kind=\"test\"} 2.0");
    assertThat(pollCollects).hasValue(2); // written again only for the new combined key
  }

  @Test
  void keepsOneCopyPerFormat() throws Exception {
    get("/metrics", null, null);
    get("/metrics", OPENMETRICS, null);
    get("/metrics", null, "gzip");
    get("/metrics", OPENMETRICS, "gzip");
    assertThat(pollCollects).hasValue(2);
  }

  @Test
  void leavesNameFiltersAndDebugOutputToTheJavaClient() throws Exception {
    addPerScrapeMetric();
    String filtered = text("/metrics?name[]=aaa_poll_value&name[]=zzz_scrape_value");
    assertThat(filtered)
        .contains("aaa_poll_value{kind=\"test\"} 1.0")
        .contains("zzz_scrape_value{kind=\"test\"} 100.0")
        .doesNotContain("aab_poll_constant");
    assertThat(text("/metrics?debug=openmetrics"))
        .contains("aab_poll_constant")
        .contains("zzz_scrape_value")
        .endsWith("# EOF\n");
  }

  @Test
  void answersHeadWithTheLengthAndNoBody() throws Exception {
    int length = get("/metrics", null, null).body().length;
    HttpResponse<byte[]> head =
        CLIENT.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(length));
    assertThat(head.body()).isEmpty();
  }

  @Test
  void writesAgainWhenAPollLandedWhileWriting() throws Exception {
    // The version is read before collecting; a poll that lands in between leaves bytes stored under
    // the old version, so the next scrape writes them again rather than trust them for the new one.
    perPoll.register(
        versioned(
            new Collector() {
              @Override
              public MetricSnapshot collect() {
                version.compareAndSet("poll-1", "poll-2");
                return GaugeSnapshot.builder().name("aac_poll_lands").help("Lands.").build();
              }
            }));
    text("/metrics");
    assertThat(pollCollects).hasValue(1);
    text("/metrics");
    assertThat(pollCollects).hasValue(2);
    text("/metrics");
    assertThat(pollCollects).hasValue(2);
  }

  @Test
  void appliesTheJavaClientsNameFilterPropertiesWithoutCollectingWhatIsLeftOut() throws Exception {
    AtomicInteger excludedCollects = new AtomicInteger();
    // Like the JVM's deadlock gauges: a callback that must not even run when filtered out.
    GaugeWithCallback.builder()
        .name("zzz_expensive")
        .help("Left out.")
        .callback(
            callback -> {
              excludedCollects.incrementAndGet();
              callback.call(1);
            })
        .register(perScrape);
    addPerScrapeMetric();
    PrometheusProperties properties =
        PrometheusProperties.builder()
            .exporterFilterProperties(
                ExporterFilterProperties.builder()
                    .excludedNames("aab_poll_constant", "zzz_expensive")
                    .build())
            .build();
    try (WebServer filtered =
        WebServer.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .route("/metrics", new ScrapeEndpoint(properties, perPoll, perScrape))
            .start()) {
      String body =
          CLIENT
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + filtered.address().getPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body)
          .contains("aaa_poll_value")
          .contains("zzz_scrape_value")
          .doesNotContain("aab_poll_constant")
          .doesNotContain("zzz_expensive");
    }
    assertThat(excludedCollects).hasValue(0);
  }

  @Test
  void concurrent_scrapes_of_a_new_version_write_it_once() throws Exception {
    java.util.concurrent.CountDownLatch slow = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger slowCollects = new AtomicInteger();
    perPoll.register(
        versioned(
            () -> {
              slowCollects.incrementAndGet();
              try {
                // Long enough that every scrape below arrives while the first still writes.
                slow.await(300, java.util.concurrent.TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return GaugeSnapshot.builder()
                  .name("aac_slow")
                  .dataPoint(GaugeDataPointSnapshot.builder().value(1).build())
                  .build();
            }));
    int scrapers = 16;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(scrapers);
    try {
      var answers = new java.util.ArrayList<java.util.concurrent.Future<HttpResponse<byte[]>>>();
      for (int i = 0; i < scrapers; i++) {
        answers.add(pool.submit(() -> get("/metrics", null, null)));
      }
      for (var answer : answers) {
        assertThat(answer.get().statusCode()).isEqualTo(200);
        assertThat(new String(answer.get().body(), StandardCharsets.UTF_8)).contains("aac_slow 1");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(slowCollects).hasValue(1);
  }

  @Test
  void a_body_of_many_chunks_compresses_to_exactly_its_bytes_with_and_without_per_scrape_part()
      throws Exception {
    perPoll.register(
        versioned(
            () -> {
              var g = GaugeSnapshot.builder().name("aad_many");
              for (int i = 0; i < 20_000; i++) {
                g.dataPoint(
                    GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("series", "s" + i + "_" + Integer.toHexString(i * 7919)))
                        .value(i)
                        .build());
              }
              return g.build();
            }));
    for (boolean withPerScrape : new boolean[] {false, true}) {
      if (withPerScrape) {
        addPerScrapeMetric();
      }
      for (String accept : new String[] {null, OPENMETRICS}) {
        byte[] plain = get("/metrics", accept, null).body();
        HttpResponse<byte[]> zipped = get("/metrics", accept, "gzip");
        assertThat(plain.length).isGreaterThan(600_000);
        assertThat(zipped.headers().firstValue("Content-Length"))
            .hasValue(Integer.toString(zipped.body().length));
        assertThat(gunzip(zipped.body())).isEqualTo(plain);
      }
    }
  }

  @Test
  void a_format_scraped_rarely_is_not_answered_with_its_old_bytes_while_another_renders()
      throws Exception {
    assertThat(text("/metrics")).contains("aaa_poll_value{kind=\"test\"} 1.0");
    Thread.sleep(ScrapeEndpoint.MAX_STALE_NANOS / 1_000_000 + 200);
    java.util.concurrent.CountDownLatch inRender = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    perPoll.register(
        versioned(
            () -> {
              if ("poll-2".equals(version.get()) && inRender.getCount() > 0) {
                inRender.countDown();
                try {
                  release.await(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return GaugeSnapshot.builder().name("aae_slow").help("Slow.").build();
            }));
    pollValue.set(2);
    version.set("poll-2");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var openMetrics = pool.submit(() -> get("/metrics", OPENMETRICS, null));
      assertThat(inRender.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      var plain = pool.submit(() -> text("/metrics"));
      Thread.sleep(300); // the plain scrape is now waiting, or (before the fix) answered stale
      release.countDown();

      assertThat(plain.get(5, java.util.concurrent.TimeUnit.SECONDS))
          .contains("aaa_poll_value{kind=\"test\"} 2.0");
      assertThat(openMetrics.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode())
          .isEqualTo(200);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }
}

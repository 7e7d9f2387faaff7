package io.github.synapsebgu.exporter.scrape;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.ExporterFilterProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The metrics endpoint. Our own metrics change only when a poll lands (or its data turns stale),
 * yet writing them out was most of the CPU of a scrape; so their exposition is written once per
 * {@code version} and format, and reused until the version changes (the daemon puts the JVM
 * metrics, sampled once a second, there too). Everything in {@code perScrape} (the admin API's
 * counters, anything registered later) is collected and written on every scrape, as the Java client
 * would. Requests with query parameters ({@code name[]}, {@code debug}) go to the Java client's own
 * handler over all metrics.
 */
public final class ScrapeEndpoint implements HttpHandler {
  /**
   * Formats kept rendered. Scrapers use one or two (Prometheus asks for OpenMetrics or text); more
   * would each hold a copy of a possibly large body, so the least recently used is dropped.
   */
  private static final int CACHED_FORMATS = 3;

  private final ExpositionFormats formats;
  private final boolean preferUncompressed;
  private final PrometheusRegistry perPoll;
  private final Supplier<?> version;
  private final PrometheusRegistry perScrape;
  private final Predicate<String> nameFilter;
  private final PrometheusProperties properties;
  // The Java client's handler, for requests with a query string: made at the first such request
  // (rare; building it is a few ms of every start otherwise).
  private volatile HttpHandler withQuery;
  private final Map<Format, Exposition> cache =
      Collections.synchronizedMap(
          new LinkedHashMap<>(8, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Format, Exposition> eldest) {
              return size() > CACHED_FORMATS;
            }
          });
  private final ReentrantLock rendering = new ReentrantLock();
  // The format being written while `rendering` is held; null otherwise.
  private volatile Format renderingFormat;

  /** How old bytes may be that a scrape takes while the same format is being written again. */
  static final long MAX_STALE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

  private final Semaphore queries = new Semaphore(1, true);
  private final Map<String, Format> formatsByAccept = new ConcurrentHashMap<>();

  /**
   * @param perPoll collectors written once per combined key (see {@link PerPollRegistry})
   * @param perScrape collectors collected on every scrape
   */
  public ScrapeEndpoint(
      PrometheusProperties properties, PerPollRegistry perPoll, PrometheusRegistry perScrape) {
    this.formats = ExpositionFormats.init(properties);
    this.preferUncompressed =
        properties.getExporterHttpServerProperties().isPreferUncompressedResponse();
    this.perPoll = perPoll.registry();
    this.version = perPoll::cacheKey;
    this.perScrape = perScrape;
    this.nameFilter = nameFilter(properties.getExporterFilterProperties());
    this.properties = properties;
  }

  private HttpHandler withQuery() {
    HttpHandler handler = withQuery;
    if (handler == null) {
      synchronized (this) {
        handler = withQuery;
        if (handler == null) {
          PrometheusRegistry all = new PrometheusRegistry();
          all.register(new Union(perPoll, perScrape));
          handler = new MetricsHandler(properties, all);
          withQuery = handler;
        }
      }
    }
    return handler;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (exchange.getRequestURI().getRawQuery() != null) {
      withQuery(exchange);
      return;
    }
    serveCached(exchange);
  }

  /**
   * The same endpoint for a request whose query is not for it: fleet mode's {@code
   * /probe?target=NAME}, whose query picks the homeserver and must not reach the Java client's
   * handler (a render per request instead of the cached bytes).
   */
  public HttpHandler ignoringQuery() {
    return this::serveCached;
  }

  private void serveCached(HttpExchange exchange) throws IOException {
    Format format = format(exchange.getRequestHeaders().getFirst("Accept"));
    ExpositionFormatWriter writer = format.writer();
    Exposition ours = rendered(format);
    MetricSnapshots others = scrape(perScrape);
    byte[] after = null;
    if (others.size() > 0) {
      // Written after ours with the same writer; an OpenMetrics body ends in one EOF. Small (the
      // admin API's counters): the large shared part is never copied for it.
      ByteArrayOutputStream out = new ByteArrayOutputStream(4 * 1024);
      writer.write(out, others, format.escaping());
      after = out.toByteArray();
    }
    boolean gzip = !preferUncompressed && acceptsGzip(exchange);
    Exposition.Body body = ours.body(after, gzip);
    exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
    if (gzip) {
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
    }
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().set("Content-Length", Long.toString(body.length()));
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    exchange.sendResponseHeaders(200, body.length());
    try (OutputStream out = exchange.getResponseBody()) {
      body.writeTo(out);
    }
  }

  /**
   * The Java client's handler renders everything for each request into buffers of its own: one such
   * request at a time, so a burst of them costs one body's memory, not one per worker.
   */
  private void withQuery(HttpExchange exchange) throws IOException {
    try {
      queries.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close(); // the response deadline passed while waiting
      return;
    }
    try {
      withQuery().handle(exchange);
    } finally {
      queries.release();
    }
  }

  /**
   * The format an Accept header asks for. A scraper sends the same header every time, so the answer
   * is remembered (for a few distinct headers; parsing it was a tenth of a cached scrape).
   */
  private Format format(String accept) {
    String key = accept == null ? "" : accept;
    Format known = formatsByAccept.get(key);
    if (known != null) {
      return known;
    }
    Format format = new Format(formats.findWriter(accept), EscapingScheme.fromAcceptHeader(accept));
    if (formatsByAccept.size() < 32) {
      formatsByAccept.put(key, format);
    }
    return format;
  }

  /**
   * Our metrics in {@code format} for the current version. One render at a time, so concurrent
   * scrapes never hold more than one render in memory. A scrape that finds its bytes outdated while
   * the same format is being written takes the previous bytes if they are younger than {@link
   * #MAX_STALE_NANOS} (one JVM sample and a margin) instead of waiting; otherwise it waits for the
   * render in progress and then uses (or writes) the current bytes. So a format scraped rarely is
   * never answered with what its previous scrape saw, long ago.
   */
  private Exposition rendered(Format format) throws IOException {
    // The version is read before collecting, so the bytes are never older than the version they
    // are stored under: a poll landing in between only makes the next scrape write them again.
    Object now = version.get();
    Exposition cached = cache.get(format);
    if (cached != null && cached.version().equals(now)) {
      return cached;
    }
    if (!rendering.tryLock()) {
      if (cached != null
          && format.equals(renderingFormat)
          && System.nanoTime() - cached.renderedNanos() < MAX_STALE_NANOS) {
        return cached;
      }
      rendering.lock();
    }
    try {
      renderingFormat = format;
      now = version.get();
      Exposition again = cache.get(format);
      if (again != null && again.version().equals(now)) {
        return again;
      }
      Exposition fresh =
          Exposition.render(now, format.writer(), format.escaping(), scrape(perPoll));
      cache.put(format, fresh);
      return fresh;
    } finally {
      renderingFormat = null;
      rendering.unlock();
    }
  }

  private MetricSnapshots scrape(PrometheusRegistry registry) {
    return nameFilter == null ? registry.scrape() : registry.scrape(nameFilter);
  }

  /** The io.prometheus.exporter.filter.* properties, applied as the Java client's handler does. */
  private static Predicate<String> nameFilter(ExporterFilterProperties p) {
    if (p.getAllowedMetricNames() == null
        && p.getExcludedMetricNames() == null
        && p.getAllowedMetricNamePrefixes() == null
        && p.getExcludedMetricNamePrefixes() == null) {
      return null;
    }
    return MetricNameFilter.builder()
        .nameMustBeEqualTo(p.getAllowedMetricNames())
        .nameMustNotBeEqualTo(p.getExcludedMetricNames())
        .nameMustStartWith(p.getAllowedMetricNamePrefixes())
        .nameMustNotStartWith(p.getExcludedMetricNamePrefixes())
        .build();
  }

  private static boolean acceptsGzip(HttpExchange exchange) {
    List<String> values = exchange.getRequestHeaders().get("Accept-Encoding");
    if (values == null) {
      return false;
    }
    for (String value : values) {
      for (String encoding : value.split(",")) {
        if (encoding.trim().equalsIgnoreCase("gzip")) {
          return true;
        }
      }
    }
    return false;
  }

  /** A writer (format and version) with a name-escaping scheme: what the bytes depend on. */
  private record Format(ExpositionFormatWriter writer, EscapingScheme escaping) {}

  /** Both registries as one, for the Java client's handler (name filters, debug output). */
  private record Union(PrometheusRegistry first, PrometheusRegistry second)
      implements MultiCollector {
    @Override
    public MetricSnapshots collect() {
      return merge(first.scrape(), second.scrape());
    }

    @Override
    public MetricSnapshots collect(
        Predicate<String> includedNames, PrometheusScrapeRequest request) {
      return merge(first.scrape(includedNames, request), second.scrape(includedNames, request));
    }

    private static MetricSnapshots merge(MetricSnapshots a, MetricSnapshots b) {
      List<MetricSnapshot> all = new ArrayList<>(a.size() + b.size());
      a.forEach(all::add);
      b.forEach(all::add);
      return new MetricSnapshots(all);
    }
  }
}

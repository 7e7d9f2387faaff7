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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

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
  private static final byte[] OPENMETRICS_EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

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
  private final Map<Format, Rendered> cache = new ConcurrentHashMap<>();
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
      withQuery().handle(exchange);
      return;
    }
    Format format = format(exchange.getRequestHeaders().getFirst("Accept"));
    ExpositionFormatWriter writer = format.writer();
    EscapingScheme escaping = format.escaping();
    Rendered ours = rendered(format);
    MetricSnapshots others = scrape(perScrape);
    boolean gzip = !preferUncompressed && acceptsGzip(exchange);

    byte[] body;
    if (others.size() == 0) {
      body = gzip ? ours.gzipped() : ours.bytes();
    } else {
      // The rest is written after ours with the same writer; an OpenMetrics body ends in one EOF.
      ByteArrayOutputStream all = new ByteArrayOutputStream(ours.bytes().length + 16 * 1024);
      all.write(ours.bytes(), 0, ours.bytes().length - ours.eofLength());
      writer.write(all, others, escaping);
      body = gzip ? gzip(all.toByteArray()) : all.toByteArray();
    }
    exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
    if (gzip) {
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
    }
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
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

  private Rendered rendered(Format format) throws IOException {
    // The version is read before collecting, so the bytes are never older than the version they
    // are stored under: a poll landing in between only makes the next scrape write them again.
    Object now = version.get();
    Rendered cached = cache.get(format);
    if (cached != null && cached.version().equals(now)) {
      return cached;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
    format.writer().write(out, scrape(perPoll), format.escaping());
    byte[] bytes = out.toByteArray();
    boolean openMetrics =
        format.writer().getContentType().startsWith("application/openmetrics-text")
            && endsWith(bytes, OPENMETRICS_EOF);
    Rendered fresh =
        new Rendered(now, bytes, openMetrics ? OPENMETRICS_EOF.length : 0, gzip(bytes));
    cache.put(format, fresh);
    return fresh;
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

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static boolean endsWith(byte[] bytes, byte[] suffix) {
    if (bytes.length < suffix.length) {
      return false;
    }
    int offset = bytes.length - suffix.length;
    for (int i = 0; i < suffix.length; i++) {
      if (bytes[offset + i] != suffix[i]) {
        return false;
      }
    }
    return true;
  }

  /** A writer (format and version) with a name-escaping scheme: what the bytes depend on. */
  private record Format(ExpositionFormatWriter writer, EscapingScheme escaping) {}

  /**
   * Our metrics written once for a version, plain and gzipped; {@code eofLength} is the length of
   * the final OpenMetrics "# EOF" line, left out when more metrics follow.
   */
  private record Rendered(Object version, byte[] bytes, int eofLength, byte[] gzipped) {}

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

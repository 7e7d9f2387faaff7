package io.github.synapsebgu.exporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.http.WebServer;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The golden-file tests' shared steps: serve a registry over real HTTP through the Java client's
 * handler, scrape it, compare with the file (rewritten with {@code -Dgolden.update=true}), and
 * check it with promtool.
 */
public final class GoldenExposition {
  private GoldenExposition() {}

  public static WebServer serve(PrometheusRegistry registry) throws IOException {
    return WebServer.builder()
        .address(new InetSocketAddress("127.0.0.1", 0))
        .route("/metrics", new MetricsHandler(PrometheusProperties.get(), registry))
        .start();
  }

  public static String scrape(WebServer server) throws Exception {
    return Wire.get(URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics"))
        .body();
  }

  public static void assertMatches(Path golden, String actual) throws IOException {
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  public static void assertPromtoolFindsNothing(String exposition) throws Exception {
    Promtool.Result r = Promtool.checkMetrics(exposition);
    assertThat(r.output()).as("promtool output").isEmpty();
    assertThat(r.exitCode()).isZero();
  }
}

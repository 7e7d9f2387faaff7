package io.github.synapsebgu.exporter.admin;

import io.github.synapsebgu.exporter.config.AdminConfig;
import io.github.synapsebgu.exporter.config.HomeserverConfig;
import io.github.synapsebgu.exporter.config.ListenAddress;
import io.github.synapsebgu.exporter.homeserver.Homeserver;
import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.poll.PollScheduler;
import io.github.synapsebgu.exporter.poll.Poller;
import io.github.synapsebgu.exporter.secrets.FileTokenSource;
import io.github.synapsebgu.exporter.synapse.RequestDeadlines;
import io.github.synapsebgu.exporter.synapse.SynapseClient;
import io.github.synapsebgu.exporter.synapse.SynapseHttpSettings;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin API as the daemon wires it (a real homeserver unit, listener on port 0) against a
 * {@link FakeSynapse}, plus a listener for that homeserver's /metrics and an HTTP client.
 */
public final class AdminHarness implements AutoCloseable {
  public static final String ADMIN_TOKEN = "adm_5f0c2a7e9b13d4866a1f0e27c9d3b4a8";
  static final JsonMapper JSON = JsonMapper.builder().build();

  record Options(Duration synapseTimeout, Duration pollInterval, Duration maxPause) {
    static Options defaults() {
      // A long interval: polls then happen only at start and after changes, so tests are exact.
      return new Options(Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofHours(24));
    }

    Options pollEvery(Duration interval) {
      return new Options(synapseTimeout, interval, maxPause);
    }

    Options timeout(Duration timeout) {
      return new Options(timeout, pollInterval, maxPause);
    }

    Options maxPause(Duration max) {
      return new Options(synapseTimeout, pollInterval, max);
    }
  }

  final FakeSynapse synapse;
  final Path adminTokenFile;
  final PollScheduler scheduler = new PollScheduler();
  final RequestDeadlines deadlines = new RequestDeadlines();
  final Homeserver homeserver;
  final SynapseClient client;
  final Poller poller;
  final AdminServer admin;
  final WebServer metricsWeb;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private AdminHarness(Path dir, Options options) throws IOException {
    synapse = FakeSynapse.start();
    Path synapseTokenFile = Files.writeString(dir.resolve("synapse-token"), FakeSynapse.TOKEN);
    adminTokenFile = Files.writeString(dir.resolve("admin-token"), ADMIN_TOKEN + "\n");
    homeserver =
        new Homeserver(
            new HomeserverConfig(
                HomeserverConfig.DEFAULT_NAME,
                Optional.of(
                    new SynapseHttpSettings(
                        synapse.url(), options.synapseTimeout(), Optional.empty(), false)),
                Optional.of(FileTokenSource.open(synapseTokenFile, "--synapse.token-file")),
                options.synapseTimeout(),
                options.pollInterval(),
                Duration.ofMinutes(5)),
            Clock.systemUTC(),
            "admin-test",
            scheduler,
            deadlines);
    client = homeserver.client();
    poller = homeserver.poller();
    admin =
        AdminServer.start(
            new AdminConfig(
                new ListenAddress("127.0.0.1", 0),
                FileTokenSource.open(adminTokenFile, "--admin.token-file"),
                options.maxPause(),
                Optional.empty()),
            homeserver,
            Clock.systemUTC());
    metricsWeb =
        WebServer.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .route("/metrics", homeserver.metricsEndpoint())
            .start();
    homeserver.start();
    await(() -> poller.snapshot().firstPollDone(), Duration.ofSeconds(5));
  }

  static AdminHarness start(Path dir) throws IOException {
    return new AdminHarness(dir, Options.defaults());
  }

  static AdminHarness start(Path dir, Options options) throws IOException {
    return new AdminHarness(dir, options);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + admin.address().getPort() + path);
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + ADMIN_TOKEN);
  }

  HttpResponse<String> get(String path) {
    return send(request(path).GET());
  }

  HttpResponse<String> post(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    return json(response.body());
  }

  static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  /** The exposition text of the registry, scraped over HTTP like Prometheus does. */
  String metrics() {
    return send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsWeb.address().getPort() + "/metrics"))
            .GET())
        .body();
  }

  /** The value of one series line ({@code name{labels}}) in the exposition, if present. */
  Optional<Double> metric(String series) {
    return metrics()
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length() + 1).strip()));
  }

  static void await(BooleanSupplier condition, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + limit);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    metricsWeb.close();
    admin.close();
    homeserver.close();
    deadlines.close();
    scheduler.close();
    synapse.close();
  }
}

package io.github.synapsebgu.exporter.reliability;

import io.github.synapsebgu.exporter.build.BuildInfo;
import io.github.synapsebgu.exporter.cli.Daemon;
import io.github.synapsebgu.exporter.config.ConfigValidator;
import io.github.synapsebgu.exporter.config.Env;
import io.github.synapsebgu.exporter.config.ExporterConfig;
import io.github.synapsebgu.exporter.config.ServeOptions;
import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FaultySocketServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The real daemon (config validation, client, poller, collectors, web server) against a fake
 * homeserver, polled on demand: the poll interval is an hour, so after the first poll only {@link
 * #pollNow()} polls, and each test knows exactly which poll it is looking at.
 */
final class ExporterUnderTest implements AutoCloseable {
  /** The token of {@link FakeSynapse}; {@link FaultySocketServer} takes any. */
  static final String TOKEN = FakeSynapse.TOKEN;

  private final Daemon daemon;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private ExporterUnderTest(Daemon daemon) {
    this.daemon = daemon;
  }

  /**
   * @param flags extra flags without the leading dashes' env, e.g. {@code "synapse.timeout" ->
   *     "2s"}
   */
  static ExporterUnderTest start(URI synapse, Map<String, String> flags) throws Exception {
    ServeOptions o = new ServeOptions();
    o.synapse.synapseUrl = synapse.toString();
    o.synapse.synapseTimeout = flags.getOrDefault("synapse.timeout", "2s");
    o.synapse.synapseCaFile = flags.get("synapse.tls.ca-file");
    o.pollInterval = flags.getOrDefault("poll.interval", "1h");
    o.staleAfter = flags.getOrDefault("poll.stale-after", "2h");
    o.listenAddress = "127.0.0.1:0";
    o.webConfigFile = flags.get("web.config.file");
    o.logLevel = "warn";
    Map<String, String> env = new HashMap<>();
    env.put("SYNAPSE_ADMIN_TOKEN", TOKEN);
    ExporterConfig config = ConfigValidator.validate(o, new Env(env));
    ExporterUnderTest e =
        new ExporterUnderTest(Daemon.start(config, Clock.systemUTC(), BuildInfo.load()));
    e.awaitFirstPoll();
    return e;
  }

  Daemon daemon() {
    return daemon;
  }

  URI metricsUrl() {
    return URI.create("http://127.0.0.1:" + daemon.address().getPort() + "/metrics");
  }

  private void awaitFirstPoll() throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!daemon.poller().snapshot().firstPollDone() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  Future<PollSnapshot> pollAsync() {
    return daemon.poller().pollNow();
  }

  PollSnapshot pollNow() throws Exception {
    return pollAsync().get(60, TimeUnit.SECONDS);
  }

  Scrape scrape() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(metricsUrl()).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    return new Scrape(r.statusCode(), r.body(), System.nanoTime() - start);
  }

  @Override
  public void close() {
    daemon.close();
  }

  /** One scrape: status, body, how long it took, and the samples by series. */
  record Scrape(int status, String body, long nanos) {
    Map<String, Double> samples() {
      Map<String, Double> out = new HashMap<>();
      for (String line : body.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int space = line.lastIndexOf(' ');
        out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
      return out;
    }

    double value(String series) {
      Double v = samples().get(series);
      if (v == null) {
        throw new AssertionError("no series " + series + " in:\n" + body);
      }
      return v;
    }

    double errors(String reason) {
      return value("synapse_background_updates_poll_errors_total{reason=\"" + reason + "\"}");
    }

    long millis() {
      return nanos / 1_000_000;
    }
  }
}

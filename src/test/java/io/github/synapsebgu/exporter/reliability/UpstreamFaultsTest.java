package io.github.synapsebgu.exporter.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.synapsebgu.exporter.http.webconfig.TestPki;
import io.github.synapsebgu.exporter.http.webconfig.TestPki.Issued;
import io.github.synapsebgu.exporter.poll.PollSnapshot;
import io.github.synapsebgu.exporter.reliability.ExporterUnderTest.Scrape;
import io.github.synapsebgu.exporter.testing.Behaviours;
import io.github.synapsebgu.exporter.testing.FaultySocketServer;
import io.github.synapsebgu.exporter.testing.FaultySocketServer.Behaviour;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Every way the homeserver can fail us, one poll each, against the real daemon: the right reason,
 * the poll over within --synapse.timeout, /metrics answering fast meanwhile, and the next good
 * answer bringing {@code up} back to 1. The token never leaves for anywhere else, nor shows in
 * logs.
 */
class UpstreamFaultsTest {
  static final long TIMEOUT_MS = 2000;
  static final long MARGIN_MS = 750;

  static FaultySocketServer synapse;
  static FaultySocketServer elsewhere;
  static ExporterUnderTest exporter;
  static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    logs.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    synapse = FaultySocketServer.start();
    elsewhere = FaultySocketServer.start();
    exporter = ExporterUnderTest.start(synapse.url(), Map.of("synapse.timeout", TIMEOUT_MS + "ms"));
  }

  @AfterAll
  static void stop() {
    exporter.close();
    synapse.close();
    elsewhere.close();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    // Whatever happened above, the token never reached a log line.
    assertThat(logs.list)
        .allSatisfy(
            e ->
                assertThat(e.getFormattedMessage() + e.getKeyValuePairs() + e.getThrowableProxy())
                    .doesNotContain(ExporterUnderTest.TOKEN));
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of("reset mid-response", Behaviours.resetMidResponse(), "connect"),
        Arguments.of("empty response", Behaviours.emptyResponse(), "connect"),
        Arguments.of("malformed chunked body", Behaviours.malformedChunked(), "invalid_response"),
        Arguments.of(
            "random bytes then close", Behaviours.randomBytesThenClose(), "invalid_response"),
        Arguments.of(
            "headers then silence", Behaviours.headersThenSilence(3 * TIMEOUT_MS), "timeout"),
        Arguments.of("body dripping a byte a second", Behaviours.drip(), "timeout"),
        Arguments.of("10 MiB body", Behaviours.hugeBody(), "invalid_response"),
        Arguments.of(
            "200 with text/html",
            Behaviours.status(200, "text/html", "<html><body>Welcome to nginx!</body></html>"),
            "invalid_response"),
        Arguments.of(
            "502 from a proxy",
            Behaviours.status(502, "text/html", "<h1>502 Bad Gateway</h1>"),
            "server_error"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("faults")
  void aFaultIsClassifiedEndsInTimeAndTheNextGoodAnswerRecovers(
      String name, Behaviour fault, String reason) throws Exception {
    synapse.behave(fault);
    assertFailsWithin(reason);
    synapse.behave(Behaviours.healthy());
    assertRecovers();
  }

  @Test
  void connectionRefused() throws Exception {
    // Nothing pooled: a kept-alive connection would be reused and never meet the closed port.
    synapse.behave(Behaviours.healthyThenClose());
    assertRecovers();
    synapse.refuse();
    try {
      assertFailsWithin("connect");
    } finally {
      synapse.listen();
    }
    assertRecovers();
  }

  @Test
  void aRedirectToAnotherHostIsNotFollowedAndTheTokenStaysHome() throws Exception {
    int before = elsewhere.requests().size();
    synapse.behave(Behaviours.redirect(elsewhere.url() + SynapseBodies.STATUS_PATH));
    PollSnapshot s = assertFailsWithin("redirect");
    assertThat(elsewhere.requests()).hasSize(before).isEmpty();
    assertThat(s.lastFailure().orElseThrow().message())
        .contains(elsewhere.url().toString())
        .doesNotContain(ExporterUnderTest.TOKEN);
    // Every request that did go out went to the configured homeserver, with the token.
    assertThat(synapse.requests())
        .allSatisfy(
            r ->
                assertThat(r.headers().get("authorization"))
                    .isEqualTo("Bearer " + ExporterUnderTest.TOKEN));
    synapse.behave(Behaviours.healthy());
    assertRecovers();
  }

  @Test
  void anUntrustedCertificateIsATlsFailureAndATrustedOneRecovers(@TempDir Path dir)
      throws Exception {
    Issued trustedCa = TestPki.ca("synapse-ca");
    Issued impostor = TestPki.server(TestPki.ca("impostor-ca"));
    try (FaultySocketServer tls = FaultySocketServer.start()) {
      tls.useTls(TestPki.serverContext(impostor));
      Path ca = trustedCa.writeCert(dir.resolve("ca.crt"));
      try (ExporterUnderTest e =
          ExporterUnderTest.start(
              tls.url(),
              Map.of("synapse.timeout", TIMEOUT_MS + "ms", "synapse.tls.ca-file", ca.toString()))) {
        PollSnapshot s = e.pollNow();
        assertThat(s.up()).isFalse();
        assertThat(s.lastFailure().orElseThrow().reason().label()).isEqualTo("tls");
        assertThat(tls.requests()).isEmpty(); // no request, so no token, went out
        assertThat(e.scrape().errors("tls")).isGreaterThanOrEqualTo(2); // first poll + this one

        tls.useTls(TestPki.serverContext(TestPki.server(trustedCa)));
        assertThat(e.pollNow().up()).isTrue();
        assertThat(e.scrape().value("synapse_background_updates_up")).isEqualTo(1.0);
      }
    }
  }

  /** Polls once against the current fault, scraping meanwhile; returns the failed snapshot. */
  private static PollSnapshot assertFailsWithin(String reason) throws Exception {
    double errorsBefore = exporter.scrape().errors(reason);
    long start = System.nanoTime();
    Future<PollSnapshot> poll = exporter.pollAsync();
    List<Long> scrapeMillis = new ArrayList<>();
    while (!poll.isDone()) {
      Scrape during = exporter.scrape();
      assertThat(during.status()).isEqualTo(200);
      scrapeMillis.add(during.millis());
      Thread.sleep(100);
    }
    PollSnapshot s = poll.get();
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    System.out.printf(
        "fault reason=%s poll_ms=%d scrapes_during=%d max_scrape_ms=%d message=%s%n",
        reason,
        tookMs,
        scrapeMillis.size(),
        scrapeMillis.stream().mapToLong(Long::longValue).max().orElse(0),
        s.lastFailure().map(f -> f.message()).orElse(""));
    assertThat(s.up()).isFalse();
    assertThat(s.lastFailure().orElseThrow().reason().label()).isEqualTo(reason);
    // Whatever the homeserver sent ends up in a log line: it must stay one printable line.
    assertThat(s.lastFailure().orElseThrow().message()).matches("[\\x20-\\x7e]+");
    assertThat(tookMs).as("poll duration").isLessThanOrEqualTo(TIMEOUT_MS + MARGIN_MS);
    assertThat(scrapeMillis).as("scrapes during the poll (ms)").allMatch(ms -> ms < 500);
    Scrape after = exporter.scrape();
    assertThat(after.value("synapse_background_updates_up")).isZero();
    assertThat(after.errors(reason)).isEqualTo(errorsBefore + 1);
    return s;
  }

  private static void assertRecovers() throws Exception {
    assertThat(exporter.pollNow().up()).isTrue();
    Scrape after = exporter.scrape();
    assertThat(after.value("synapse_background_updates_up")).isEqualTo(1.0);
    assertThat(
            after.value(
                "synapse_background_update_items_processed{database=\"master\",update=\"populate_stats_process_rooms\"}"))
        .isEqualTo(12.0);
  }
}

package io.github.synapsebgu.exporter.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.BodyWithholder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Clients whose Content-Length promises a body they never send, on the daemon's own metrics
 * listener (32 workers). Each used to get its answer and then hold its worker for the 30 s response
 * deadline while the JDK waited for the body: 32 of them blocked every scrape.
 */
class WithheldBodiesTest {
  @Test
  void scrapes_are_answered_at_once_while_clients_withhold_their_bodies() throws Exception {
    // No Synapse at all: the listener, not the data, is under test (polls fail with connect).
    try (ExporterUnderTest exporter =
        ExporterUnderTest.start(URI.create("http://127.0.0.1:1"), Map.of())) {
      InetSocketAddress addr = exporter.daemon().address();
      List<BodyWithholder> withholders = new ArrayList<>();
      try {
        for (int i = 0; i < 40; i++) {
          withholders.add(BodyWithholder.send(addr, "GET", "/metrics"));
        }
        for (BodyWithholder w : withholders) {
          assertThat(w.answerUntilClosed(Duration.ofSeconds(3)))
              .startsWith("HTTP/1.1 200")
              .containsIgnoringCase("Connection: close");
        }
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          ExporterUnderTest.Scrape s = exporter.scrape();
          assertThat(s.status()).isEqualTo(200);
          millis.add(s.millis());
        }
        System.out.printf("40 bodies withheld on the daemon's listener: scrape_ms=%s%n", millis);
        assertThat(millis).allMatch(ms -> ms < 500);
      } finally {
        for (BodyWithholder w : withholders) {
          w.close();
        }
      }
    }
  }
}

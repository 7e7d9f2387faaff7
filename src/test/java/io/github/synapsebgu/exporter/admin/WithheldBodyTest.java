package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.BodyWithholder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The admin listener has two workers. A client without a token whose Content-Length promises a body
 * it never sends got its 401 at once, then held a worker for the 30 s response deadline while the
 * JDK waited for the body: two such clients locked operators out.
 */
class WithheldBodyTest extends AdminApiTest {
  @Test
  void tokenless_clients_withholding_their_body_do_not_hold_the_admin_workers() throws Exception {
    h = AdminHarness.start(dir);
    List<BodyWithholder> withholders = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        withholders.add(
            BodyWithholder.send(
                h.admin.address(), "POST", "/api/v1/enabled", "Content-Type: application/json"));
      }
      for (BodyWithholder w : withholders) {
        assertThat(w.answerUntilClosed(Duration.ofSeconds(3)))
            .startsWith("HTTP/1.1 401")
            .containsIgnoringCase("Connection: close");
      }
      long start = System.nanoTime();
      HttpResponse<String> status =
          h.send(h.request("/api/v1/status").timeout(Duration.ofSeconds(5)));
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("10 tokenless bodies withheld on the admin listener: status_ms=%d%n", ms);
      assertThat(status.statusCode()).isEqualTo(200);
      assertThat(ms).isLessThan(1000);
      // Each was still refused and counted as such.
      double unauthorized =
          h.metrics()
              .lines()
              .filter(l -> l.startsWith("synapse_background_updates_admin_requests_total{"))
              .filter(l -> l.contains("outcome=\"unauthorized\""))
              .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
              .sum();
      assertThat(unauthorized).isEqualTo(10.0);
    } finally {
      for (BodyWithholder w : withholders) {
        w.close();
      }
    }
  }
}

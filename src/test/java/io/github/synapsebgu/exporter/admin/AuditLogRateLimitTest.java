package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.LogCapture;
import io.github.synapsebgu.exporter.testing.MutableClock;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unauthenticated requests cannot flood the log; the counter and authorised lines stay exact. */
class AuditLogRateLimitTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final LogCapture logs = new LogCapture();
  private final AuditLog audit = new AuditLog(clock);

  @TempDir Path dir;

  @AfterEach
  void closeLogs() {
    logs.close();
  }

  private List<String> lines() {
    return logs.lines().stream().filter(l -> l.contains(" logger=audit ")).toList();
  }

  private void refused(String host, int port) {
    audit.record(
        "status",
        Outcome.UNAUTHORIZED,
        401,
        new InetSocketAddress(host, port),
        "GET",
        "/api/v1/status",
        Map.of("auth", "wrong"),
        System.nanoTime());
  }

  private void authorised(String host) {
    audit.record(
        "status",
        Outcome.OK,
        200,
        new InetSocketAddress(host, 40000),
        "GET",
        "/api/v1/status",
        Map.of(),
        System.nanoTime());
  }

  @Test
  void a_flood_from_one_address_writes_its_first_line_then_one_count_a_minute() {
    for (int i = 0; i < 6000; i++) {
      refused("10.0.0.7", 40000 + i % 100); // new connections do not get new lines either
    }
    assertThat(lines())
        .singleElement()
        .asString()
        .contains("level=warn", "outcome=unauthorized", "remote=10.0.0.7:40000");

    clock.advance(Duration.ofSeconds(61));
    refused("10.0.0.7", 40001);
    assertThat(lines()).hasSize(2);
    assertThat(lines().get(1))
        .contains("level=warn", "remote=10.0.0.7 ", "suppressed=5999")
        .contains("since=2026-11-27T10:00:00Z");

    // Still coming (that one at 61 s too): counted into the next minute, summarized after it.
    for (int i = 0; i < 10; i++) {
      refused("10.0.0.7", 40002);
    }
    clock.advance(Duration.ofSeconds(60));
    authorised("10.0.0.8");
    assertThat(lines()).hasSize(4);
    assertThat(lines().get(2)).contains("suppressed=11", "since=2026-11-27T10:01:01Z");
    assertThat(lines().get(3)).contains("level=info", "outcome=ok", "remote=10.0.0.8:40000");

    // A quiet minute and the address is forgotten: its next refusal is logged in full.
    clock.advance(Duration.ofSeconds(61));
    refused("10.0.0.7", 40003);
    assertThat(lines()).hasSize(5);
    assertThat(lines().get(4)).contains("outcome=unauthorized", "remote=10.0.0.7:40003");
  }

  @Test
  void authorised_requests_are_each_logged_during_a_flood_and_each_address_gets_its_line() {
    for (int i = 0; i < 500; i++) {
      refused("10.0.0.7", 40000);
      authorised("10.0.0.7");
    }
    refused("10.0.0.9", 40000);
    refused("[2001:db8::1]", 40000);

    assertThat(lines().stream().filter(l -> l.contains("outcome=ok"))).hasSize(500);
    assertThat(lines().stream().filter(l -> l.contains("outcome=unauthorized")))
        .hasSize(3)
        .anyMatch(l -> l.contains("remote=10.0.0.9:40000"))
        .anyMatch(l -> l.contains("remote=[2001:db8:0:0:0:0:0:1]:40000"));
  }

  @Test
  void many_addresses_get_a_hundred_first_lines_a_minute_and_one_count_for_the_rest() {
    for (int i = 0; i < 1000; i++) {
      refused("10.1." + (i / 256) + "." + (i % 256), 1);
    }
    assertThat(lines()).hasSize(AuditLog.MAX_FIRST_LINES);

    clock.advance(Duration.ofSeconds(61));
    authorised("10.0.0.8");
    assertThat(lines())
        .hasSize(AuditLog.MAX_FIRST_LINES + 2)
        .anyMatch(l -> l.contains("remote=\"(other addresses)\"") && l.contains("suppressed=900"));
  }

  @Test
  void an_ipv6_client_rotating_through_its_slash_64_counts_as_one_address() {
    for (int i = 1; i <= 500; i++) {
      refused("[2001:db8:1:2::" + Integer.toHexString(i) + "]", 40000);
    }
    refused("[2001:db8:1:3::1]", 40000); // another /64: another client

    assertThat(lines()).hasSize(2);
    clock.advance(Duration.ofSeconds(61));
    authorised("10.0.0.8");
    assertThat(lines())
        .anyMatch(l -> l.contains("2001:db8:1:2::]/64") && l.contains("suppressed=499"));
  }

  @Test
  void beyond_the_tracked_addresses_the_oldest_is_dropped_and_its_count_kept_for_the_summary() {
    AuditLog small = new AuditLog(clock, 3);
    for (String host : new String[] {"10.2.0.1", "10.2.0.1", "10.2.0.1", "10.2.0.2", "10.2.0.3"}) {
      record(small, host);
    }
    assertThat(lines()).hasSize(3);
    record(small, "10.2.0.4"); // one address too many: 10.2.0.1 is dropped, its 2 kept in the count
    record(small, "10.2.0.1"); // forgotten, so logged in full again
    assertThat(lines()).hasSize(5);
    assertThat(lines().get(4)).contains("remote=10.2.0.1:1");

    clock.advance(Duration.ofSeconds(61));
    record(small, "10.2.0.9"); // the next request writes the ended minute's count
    assertThat(lines())
        .anyMatch(l -> l.contains("(other addresses)") && l.contains("suppressed=2"));
  }

  private static void record(AuditLog log, String host) {
    log.record(
        "status",
        Outcome.UNAUTHORIZED,
        401,
        new InetSocketAddress(host, 1),
        "GET",
        "/api/v1/status",
        Map.of("auth", "wrong"),
        System.nanoTime());
  }

  @Test
  void six_thousand_bad_tokens_on_one_connection_count_exactly_and_log_a_handful()
      throws Exception {
    try (AdminHarness h = AdminHarness.start(dir)) {
      HttpRequest bad =
          HttpRequest.newBuilder(h.uri("/api/v1/status"))
              .header("Authorization", "Bearer adm_guess_0123456789abcdef")
              .GET()
              .build();
      long start = System.nanoTime();
      for (int i = 0; i < 6000; i++) {
        HttpResponse<Void> r = h.http.send(bad, HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(401);
      }
      for (int i = 0; i < 5; i++) {
        assertThat(h.get("/api/v1/status").statusCode()).isEqualTo(200);
      }
      System.out.printf(
          "6000 bad tokens in %d ms: %d audit lines%n",
          (System.nanoTime() - start) / 1_000_000, lines().size());

      assertThat(
              h.metric(
                  "synapse_background_updates_admin_requests_total"
                      + "{action=\"status\",outcome=\"unauthorized\"}"))
          .hasValue(6000.0);
      AdminHarness.await(() -> lines().size() >= 6, Duration.ofSeconds(5));
      assertThat(lines().stream().filter(l -> l.contains("outcome=unauthorized"))).hasSize(1);
      assertThat(lines().stream().filter(l -> l.contains("outcome=ok"))).hasSize(5);
      assertThat(lines()).hasSizeLessThan(10);
    }
  }
}

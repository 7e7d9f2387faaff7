package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.LogCapture;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  @TempDir java.nio.file.Path dir;

  private static List<String> audit(LogCapture logs) {
    return logs.lines().stream().filter(l -> l.contains(" logger=audit ")).toList();
  }

  /** The audit line is written once the answer is out, so it may trail the client by a moment. */
  private static List<String> audit(LogCapture logs, int expected) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (audit(logs).size() < expected && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
    return audit(logs);
  }

  @Test
  void eachRequestGetsOneAuditLineWithActionOutcomeAndRemoteAddress() throws IOException {
    try (LogCapture logs = new LogCapture();
        AdminHarness h = AdminHarness.start(dir)) {
      h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"1h\"}");
      h.send(HttpRequest.newBuilder(h.uri("/api/v1/status")).GET());
      h.post("/api/v1/jobs", "{\"job_name\": \"nope\"}");

      List<String> lines = audit(logs, 3);
      assertThat(lines).hasSize(3);
      assertThat(lines.get(0))
          .contains("level=info", "action=disable", "outcome=ok", "status=200", "for=1h")
          .contains("resume_at=")
          .containsPattern("remote=127\\.0\\.0\\.1:\\d+");
      assertThat(lines.get(1))
          .contains("level=warn", "action=status", "outcome=unauthorized", "auth=missing");
      assertThat(lines.get(2))
          .contains("action=start_job", "outcome=bad_request", "status=400", "field=job_name");
    }
  }

  @Test
  void tokensNeverReachTheLogs() throws IOException {
    String wrongToken = "adm_attackers_guess_91c0e4d7b2";
    try (LogCapture logs = new LogCapture();
        AdminHarness h = AdminHarness.start(dir)) {
      h.get("/api/v1/status");
      h.post("/api/v1/enabled", "{\"enabled\": false, \"for\": \"1s\"}");
      h.post("/api/v1/enabled", "{\"enabled\": true}");
      h.post("/api/v1/jobs", "{\"job_name\": \"regenerate_directory\"}");
      h.post("/api/v1/jobs", "{\"job_name\": \"regenerate_directory\"}");
      // A token pasted where it does not belong: in a field name, a value, and the path.
      h.post("/api/v1/enabled", "{\"" + AdminHarness.ADMIN_TOKEN + "\": false}");
      h.post(
          "/api/v1/enabled", "{\"enabled\": false, \"for\": \"" + AdminHarness.ADMIN_TOKEN + "\"}");
      h.get("/api/v1/" + AdminHarness.ADMIN_TOKEN);
      h.send(
          HttpRequest.newBuilder(h.uri("/api/v1/status"))
              .header("Authorization", "Bearer " + wrongToken)
              .GET());
      h.send(
          HttpRequest.newBuilder(h.uri("/api/v1/status"))
              .header("Authorization", "Bearer " + FakeSynapse.TOKEN)
              .GET());
      // Synapse rejecting the exporter's own token.
      h.synapse.knownTokens();
      h.post("/api/v1/enabled", "{\"enabled\": false}");
      h.poller.pollNow().get();

      assertThat(audit(logs, 11)).hasSize(11);
      assertThat(logs.all())
          .isNotEmpty()
          .doesNotContain(AdminHarness.ADMIN_TOKEN)
          .doesNotContain(wrongToken)
          .doesNotContain(FakeSynapse.TOKEN);
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e);
    }
  }
}

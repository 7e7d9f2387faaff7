package io.github.synapsebgu.exporter.synapse;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.secrets.Redactor;
import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Homeservers' clients on one shared set of HTTP clients, one per TLS setting. */
class SynapseHttpTest {
  @RegisterExtension static final FakeSynapse synapse = FakeSynapse.start();

  private static SynapseClient client(
      SynapseHttp http, RequestDeadlines deadlines, boolean skipVerify) {
    TokenSource token = TokenSource.fixed(new Secret(FakeSynapse.TOKEN), "t");
    return new SynapseClient(
        new SynapseHttpSettings(synapse.url(), Duration.ofSeconds(5), Optional.empty(), skipVerify),
        token,
        http,
        deadlines,
        Redactor.of(token));
  }

  @Test
  void homeservers_with_the_same_tls_setting_share_one_client_and_another_setting_gets_its_own()
      throws Exception {
    try (SynapseHttp http = new SynapseHttp("test");
        RequestDeadlines deadlines = new RequestDeadlines()) {
      SynapseClient a = client(http, deadlines, false);
      SynapseClient b = client(http, deadlines, false);
      assertThat(http.clientCount()).isEqualTo(1);
      SynapseClient insecure = client(http, deadlines, true);
      assertThat(http.clientCount()).isEqualTo(2);
      assertThat(a.fetchStatus().currentUpdates()).containsKey("master");
      assertThat(insecure.fetchStatus().currentUpdates()).containsKey("master");
      // Closing one homeserver's client leaves the shared HTTP client to the others.
      a.close();
      assertThat(b.fetchStatus().currentUpdates()).containsKey("master");
    }
  }

  @Test
  void many_homeservers_answers_are_read_beside_each_other_without_a_thread_each()
      throws Exception {
    try (SynapseHttp http = new SynapseHttp("test");
        RequestDeadlines deadlines = new RequestDeadlines()) {
      var calls = new java.util.ArrayList<java.util.concurrent.CompletableFuture<StatusResponse>>();
      java.util.Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
      for (int i = 0; i < 40; i++) {
        calls.add(client(http, deadlines, false).fetchStatusAsync());
      }
      for (var call : calls) {
        assertThat(call.get(10, java.util.concurrent.TimeUnit.SECONDS).currentUpdates())
            .containsKey("master");
      }
      // The one client's two I/O threads and idle-connection evictor, and the deadline timer.
      List<String> ours = newThreadsOfOurs(threadsBefore);
      assertThat(ours).as(ours.toString()).hasSizeLessThanOrEqualTo(4);
    }
  }

  @Test
  void header_lines_and_bodies_longer_than_a_connections_buffer_are_read_whole() throws Exception {
    // The buffer is small to keep thousands of idle connections cheap; it must never cap a line.
    String padding = "x".repeat(HttpClientFactory.BUFFER_BYTES * 4);
    String body = "{\"enabled\":true,\"current_updates\":{},\"padding\":\"" + padding + "\"}";
    synapse.answer(
        FakeSynapse.Call.STATUS,
        io.github.synapsebgu.exporter.testing.SynapseAnswers.status(body)
            .withHeader("X-Padding", padding));
    try (SynapseHttp http = new SynapseHttp("test");
        RequestDeadlines deadlines = new RequestDeadlines()) {
      assertThat(client(http, deadlines, false).fetchStatus().enabled()).isTrue();
    }
  }

  /** Threads started since {@code before}, without the fake Synapse's (Jetty's) ones. */
  private static List<String> newThreadsOfOurs(java.util.Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(
            t ->
                t.isAlive()
                    && !before.contains(t)
                    && !t.getName().startsWith("qtp")
                    && !t.getName().startsWith("Connector-Scheduler"))
        .map(Thread::getName)
        .toList();
  }
}

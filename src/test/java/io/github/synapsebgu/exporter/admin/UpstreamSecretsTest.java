package io.github.synapsebgu.exporter.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14, item 3: a proxy that answers 400 with the request's headers in its page must not put
 * Synapse's token into the daemon's log or the admin API's status, in whatever form it echoes it.
 */
class UpstreamSecretsTest extends AdminApiTest {
  /** A page such as a debugging proxy sends: the request's headers, echoed by WireMock itself. */
  static String echoPage(String form) {
    String header =
        switch (form) {
          case "upper" -> "{{upper request.headers.Authorization}}";
          case "lower" -> "{{lower request.headers.Authorization}}";
          case "percent" -> "{{urlEncode request.headers.Authorization}}";
          case "base64" -> "{{base64 request.headers.Authorization}}";
          default -> "{{request.headers.Authorization}}";
        };
    return "<html><head><title>400 Bad Request</title></head><body><h1>Bad Request</h1><pre>"
        + "{{request.method}} {{request.url}} HTTP/1.1\nauthorization: "
        + header
        + "\nAccept: {{request.headers.Accept}}</pre></body></html>";
  }

  static void assertNoToken(String text) {
    String token = FakeSynapse.TOKEN;
    assertThat(text)
        .doesNotContain(token)
        .doesNotContain(token.toUpperCase(Locale.ROOT))
        .doesNotContain(token.toLowerCase(Locale.ROOT))
        .doesNotContain(
            Base64.getEncoder()
                .encodeToString(("Bearer " + token).getBytes(StandardCharsets.UTF_8))
                .substring(0, 40))
        .doesNotContain(token.substring(4, 24));
  }

  @ParameterizedTest
  @ValueSource(strings = {"as-is", "upper", "lower", "percent", "base64"})
  void an_echoed_token_reaches_neither_the_log_nor_the_status_api(String form) throws Exception {
    h = AdminHarness.start(dir);
    h.synapse.answer(
        Call.STATUS,
        aResponse()
            .withStatus(400)
            .withHeader("Content-Type", "text/html")
            .withBody(echoPage(form))
            .withTransformers("response-template"));

    try (LogCapture log = new LogCapture()) {
      h.poller.pollNow().get();

      String status = h.get("/api/v1/status").body();
      String message =
          AdminHarness.json(status).get("poll").get("last_error").get("message").stringValue();
      assertNoToken(status);
      assertNoToken(log.all());
      // The page did arrive (the test would prove nothing otherwise), without the token.
      assertThat(message).contains("HTTP 400").contains("Bad Request").contains("<redacted>");
      assertThat(log.all()).contains("HTTP 400");
    }
  }
}

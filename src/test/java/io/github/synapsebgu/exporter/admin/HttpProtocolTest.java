package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpProtocolTest extends AdminApiTest {

  @BeforeEach
  void start() throws IOException {
    h = AdminHarness.start(dir);
  }

  private HttpResponse<String> postAs(String contentType, String body) {
    HttpRequest.Builder r =
        h.request("/api/v1/enabled").POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      r.header("Content-Type", contentType);
    }
    return h.send(r);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/json-patch+json",
        "application/json; charset=iso-8859-1",
      })
  void postThatIsNotJsonGets415AndNothingReachesSynapse(String contentType) {
    HttpResponse<String> r = postAs(contentType, "{\"enabled\": false}");

    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(AdminHarness.json(r).get("error").stringValue()).contains("application/json");
    assertThat(h.synapse.allPosts()).isZero();
  }

  @Test
  void postWithoutContentTypeGets415() {
    assertThat(postAs(null, "{\"enabled\": false}").statusCode()).isEqualTo(415);
  }

  @Test
  void jsonWithUtf8CharsetParameterIsAccepted() {
    assertThat(postAs("Application/JSON; charset=UTF-8", "{\"enabled\": false}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void bodyOver16KibGets413() {
    String big = "{\"enabled\": false, \"for\": \"" + "1".repeat(16 * 1024) + "s\"}";

    HttpResponse<String> r = postAs("application/json", big);

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(h.synapse.allPosts()).isZero();
  }

  @Test
  void chunkedBodyOver16KibGets413Too() {
    byte[] big =
        ("{\"enabled\": false, \"pad\": \"" + "x".repeat(20 * 1024) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    // An input stream of unknown length is sent chunked: no Content-Length to trust.
    HttpResponse<String> r =
        h.send(
            h.request("/api/v1/enabled")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(h.synapse.allPosts()).isZero();
  }

  @Test
  void bodyOfExactly16KibIsRead() {
    String prefix = "{\"enabled\": false";
    String body = prefix + " ".repeat(16 * 1024 - prefix.length() - 1) + "}";
    assertThat(body.length()).isEqualTo(16 * 1024);

    assertThat(postAs("application/json", body).statusCode()).isEqualTo(200);
  }

  @Test
  void wrongMethodGets405WithAllowAndJson() {
    HttpResponse<String> get = h.get("/api/v1/enabled");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(AdminHarness.json(get).get("error").stringValue()).isEqualTo("method not allowed");

    HttpResponse<String> post = h.post("/api/v1/status", "{}");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");

    HttpResponse<String> delete = h.send(h.request("/api/v1/jobs").DELETE());
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(h.synapse.allPosts()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/api/v1", "/api/v1/status/", "/api/v2/status", "/metrics"})
  void unknownPathGets404InJson(String path) {
    HttpResponse<String> r = h.get(path);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(AdminHarness.json(r).get("error").stringValue()).isEqualTo("no such endpoint");
  }

  @Test
  void noCorsHeadersEvenForAPreflight() {
    HttpResponse<String> preflight =
        h.send(
            h.request("/api/v1/enabled")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    HttpResponse<String> post =
        h.send(
            h.request("/api/v1/enabled")
                .header("Origin", "https://evil.example")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\": true}")));

    assertThat(preflight.statusCode()).isEqualTo(405);
    for (HttpResponse<String> r : java.util.List.of(preflight, post)) {
      assertThat(r.headers().map().keySet())
          .noneMatch(k -> k.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"));
    }
  }

  @Test
  void answersAreNeverCached() {
    assertThat(h.get("/api/v1/status").headers().firstValue("Cache-Control")).hasValue("no-store");
  }
}

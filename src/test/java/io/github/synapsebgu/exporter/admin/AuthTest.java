package io.github.synapsebgu.exporter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.testing.FakeSynapse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthTest extends AdminApiTest {

  @BeforeEach
  void start() throws IOException {
    h = AdminHarness.start(dir);
  }

  private HttpResponse<String> pauseWith(String authorization) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(h.uri("/api/v1/enabled"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\": false}"));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return h.send(r);
  }

  @Test
  void requestWithoutTokenGets401WithBearerChallengeAndChangesNothing() {
    HttpResponse<String> r = pauseWith(null);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(AdminHarness.json(r).get("error").stringValue()).isEqualTo("unauthorized");
    assertThat(h.synapse.allPosts()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Bearer wrong-token",
        "Bearer " + AdminHarness.ADMIN_TOKEN + "x",
        "Bearer " + FakeSynapse.TOKEN,
        "Basic YWRtaW46c2VjcmV0",
        "Bearer",
        AdminHarness.ADMIN_TOKEN,
      })
  void wrongOrMalformedTokenGets401AndChangesNothing(String authorization) {
    HttpResponse<String> r = pauseWith(authorization);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(h.synapse.allPosts()).isZero();
    assertThat(h.synapse.enabled()).isTrue();
  }

  @Test
  void statusNeedsTheTokenToo() {
    HttpResponse<String> r = h.send(HttpRequest.newBuilder(h.uri("/api/v1/status")).GET());

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).doesNotContain("populate_stats_process_rooms");
  }

  @Test
  void bearerSchemeIsCaseInsensitive() {
    assertThat(pauseWith("bearer " + AdminHarness.ADMIN_TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void rotatedTokenFileTakesEffectWithoutRestart() throws IOException {
    Files.writeString(h.adminTokenFile, "adm_rotated_7d1e0b3c5a9f24e6");
    // Same-second rewrites can keep the mtime; the size differs anyway, set both to be sure.
    Files.setLastModifiedTime(h.adminTokenFile, FileTime.from(Instant.now().plusSeconds(5)));

    assertThat(pauseWith("Bearer " + AdminHarness.ADMIN_TOKEN).statusCode()).isEqualTo(401);
    assertThat(pauseWith("Bearer adm_rotated_7d1e0b3c5a9f24e6").statusCode()).isEqualTo(200);
  }
}

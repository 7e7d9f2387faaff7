package io.github.synapsebgu.exporter.synapse;

import static io.github.synapsebgu.exporter.testing.SynapseBodies.STATUS_PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.secrets.FileTokenSource;
import io.github.synapsebgu.exporter.secrets.Secret;
import io.github.synapsebgu.exporter.secrets.TokenSource;
import io.github.synapsebgu.exporter.testing.FakeSynapse;
import io.github.synapsebgu.exporter.testing.FakeSynapse.Call;
import io.github.synapsebgu.exporter.testing.SynapseAnswers;
import io.github.synapsebgu.exporter.testing.SynapseBodies;
import io.github.synapsebgu.exporter.testing.Wire;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SynapseClientTest {
  private static final String TOKEN = FakeSynapse.TOKEN;

  @RegisterExtension static final FakeSynapse synapse = FakeSynapse.start();

  private SynapseClient client(URI base, Duration timeout, TokenSource token) {
    return new SynapseClient(
        new SynapseHttpSettings(base, timeout, Optional.empty(), false),
        token,
        "synapse-bgu-exporter/test");
  }

  private SynapseClient client() {
    return client(synapse.url(), Duration.ofSeconds(15), TokenSource.fixed(new Secret(TOKEN), "t"));
  }

  private void answer(int status, String contentType, String body) {
    synapse.answer(Call.STATUS, SynapseAnswers.raw(status, contentType, body));
  }

  /** How many status requests carried this bearer token. */
  private long sentWith(String token) {
    return synapse.requests(Call.STATUS).stream()
        .filter(r -> ("Bearer " + token).equals(r.getHeader("Authorization")))
        .count();
  }

  private SynapseException failure() {
    try (SynapseClient c = client()) {
      c.fetchStatus();
    } catch (SynapseException e) {
      return e;
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the poll succeeded");
  }

  @Test
  void sendsTheTokenAcceptAndUserAgentAndParsesTheAnswer() throws Exception {
    answer(200, "application/json", SynapseBodies.RUNNING_12);
    try (SynapseClient c = client()) {
      StatusResponse status = c.fetchStatus();
      assertThat(status.currentUpdates().get("master").totalItemCount()).isEqualTo(12);
    }
    assertThat(synapse.requests(Call.STATUS))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
              assertThat(r.getHeader("Accept")).isEqualTo("application/json");
              assertThat(r.getHeader("User-Agent")).isEqualTo("synapse-bgu-exporter/test");
            });
  }

  @Test
  void keepsAReverseProxyPathPrefix() throws Exception {
    try (FakeSynapse proxied = FakeSynapse.startBehind("/matrix");
        SynapseClient c =
            client(
                URI.create(proxied.url() + "/matrix"),
                Duration.ofSeconds(15),
                TokenSource.fixed(new Secret(TOKEN), "t"))) {
      proxied.script(SynapseAnswers.idle());
      assertThat(c.fetchStatus().currentUpdates()).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "401|application/json|"
            + SynapseBodies.UNKNOWN_TOKEN
            + "|UNAUTHORIZED|M_UNKNOWN_TOKEN: Invalid access token passed.",
        "401|application/json|" + SynapseBodies.MISSING_TOKEN + "|UNAUTHORIZED|M_MISSING_TOKEN",
        "403|application/json|" + SynapseBodies.NOT_ADMIN + "|FORBIDDEN|You are not a server admin",
        "404|application/json|" + SynapseBodies.UNRECOGNIZED + "|NOT_FOUND|M_UNRECOGNIZED",
        "404|text/html|<html><body><h1>404 Not Found</h1></body></html>|NOT_FOUND|404 Not Found",
        "500|application/json|"
            + SynapseBodies.INTERNAL_ERROR
            + "|SERVER_ERROR|Internal server error",
        "502|text/html|<html><head><title>502 Bad Gateway</title></head></html>|SERVER_ERROR|502 Bad Gateway",
        "429|application/json|{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Too Many Requests\"}|HTTP_OTHER|M_LIMIT_EXCEEDED",
        "200|text/html|<html>maintenance</html>|INVALID_RESPONSE|text/html",
        "200|application/json|{\"enabled\":true,\"current_updates\":[]}|INVALID_RESPONSE|current_updates",
        "200|application/json|not json|INVALID_RESPONSE|not JSON",
      })
  void classifiesEachAnswer(
      int status, String type, String body, FailureReason reason, String detail) {
    answer(status, type, body);
    SynapseException e = failure();
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.getMessage()).contains(detail).doesNotContain(TOKEN);
  }

  @Test
  void keepsSynapsesErrcodeAndErrorForCallersToPassOn() {
    answer(403, "application/json", SynapseBodies.NOT_ADMIN);
    SynapseException e = failure();
    assertThat(e.httpStatus()).isEqualTo(403);
    assertThat(e.errcode()).hasValue("M_FORBIDDEN");
    assertThat(e.error()).hasValue("You are not a server admin");
  }

  @Test
  void quotesAtMostTwoHundredCharactersOfAJsonErrorText() {
    answer(
        400,
        "application/json",
        "{\"errcode\":\"M_UNKNOWN\",\"error\":\"" + "y".repeat(60_000) + "\"}");
    SynapseException e = failure();
    assertThat(e.getMessage().length()).isLessThan(400);
    assertThat(e.error().orElseThrow()).hasSizeLessThan(210);
  }

  @Test
  void quotesAtMostTwoHundredCharactersOfAnHtmlErrorPage() {
    answer(503, "text/html", "<p>" + "x".repeat(5000) + "</p>");
    SynapseException e = failure();
    assertThat(e.reason()).isEqualTo(FailureReason.SERVER_ERROR);
    assertThat(e.getMessage().length()).isLessThan(400);
  }

  @Test
  void doesNotFollowARedirectAndSaysWhereItPointed() {
    try (FakeSynapse elsewhere = FakeSynapse.start()) {
      synapse.answer(Call.STATUS, SynapseAnswers.redirect(elsewhere.url() + STATUS_PATH));
      SynapseException e = failure();
      assertThat(e.reason()).isEqualTo(FailureReason.REDIRECT);
      assertThat(e.getMessage())
          .contains(elsewhere.url() + STATUS_PATH)
          .contains("configure the homeserver's final URL")
          .doesNotContain("--"); // a homeserver may be configured otherwise than by flags
      assertThat(elsewhere.requestCount()).isZero();
    }
  }

  @Test
  void reportsAClosedPortAsConnect() throws Exception {
    int port = Wire.closedPort();
    try (SynapseClient c =
        client(
            URI.create("http://127.0.0.1:" + port),
            Duration.ofSeconds(15),
            TokenSource.fixed(new Secret(TOKEN), "t"))) {
      assertThatThrownBy(c::fetchStatus)
          .isInstanceOfSatisfying(
              SynapseException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.CONNECT));
    }
  }

  @Test
  void givesUpOnAServerThatNeverAnswersAtTheTimeout() throws Exception {
    synapse.answer(Call.STATUS, SynapseAnswers.hanging(Duration.ofSeconds(5)));
    try (SynapseClient c =
        client(synapse.url(), Duration.ofMillis(500), TokenSource.fixed(new Secret(TOKEN), "t"))) {
      long start = System.nanoTime();
      assertThatThrownBy(c::fetchStatus)
          .isInstanceOfSatisfying(
              SynapseException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.TIMEOUT));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    }
  }

  @Test
  void stopsReadingABodyLargerThanOneMebibyte() {
    String huge =
        "{\"enabled\":true,\"current_updates\":{},\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    answer(200, "application/json", huge);
    SynapseException e = failure();
    assertThat(e.reason()).isEqualTo(FailureReason.INVALID_RESPONSE);
    assertThat(e.getMessage()).contains("1 MiB");
  }

  @Test
  void usesARotatedTokenFromTheFileWithoutRestart(@TempDir Path dir) throws Exception {
    answer(200, "application/json", SynapseBodies.NOTHING);
    synapse.knownTokens("first-token", "second-token-longer");
    Path file = dir.resolve("token");
    Files.writeString(file, "first-token\n");
    TokenSource token = FileTokenSource.open(file, "--synapse.token-file");
    try (SynapseClient c = client(synapse.url(), Duration.ofSeconds(15), token)) {
      c.fetchStatus();
      Files.writeString(file, "  second-token-longer \n");
      // Same-second writes can keep the mtime on coarse file systems: make the change visible for
      // sure.
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
      c.fetchStatus();
    }
    assertThat(sentWith("first-token")).isEqualTo(1);
    assertThat(sentWith("second-token-longer")).isEqualTo(1);
  }

  @Test
  void keepsTheLastGoodTokenWhileTheFileIsBrieflyEmpty(@TempDir Path dir) throws Exception {
    answer(200, "application/json", SynapseBodies.NOTHING);
    synapse.knownTokens("good-token");
    Path file = dir.resolve("token");
    Files.writeString(file, "good-token");
    TokenSource token = FileTokenSource.open(file, "--synapse.token-file");
    Files.writeString(file, "");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    try (SynapseClient c = client(synapse.url(), Duration.ofSeconds(15), token)) {
      c.fetchStatus();
    }
    assertThat(sentWith("good-token")).isEqualTo(1);
  }
}

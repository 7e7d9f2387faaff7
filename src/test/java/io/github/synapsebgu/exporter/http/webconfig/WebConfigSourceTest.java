package io.github.synapsebgu.exporter.http.webconfig;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.synapsebgu.exporter.http.webconfig.TestPki.Issued;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class WebConfigSourceTest {
  static final String ALICE = "basic_auth_users:\n  alice: " + WebConfigFileFixture.HASH + "\n";
  static final String BOB = "basic_auth_users:\n  bob: " + WebConfigFileFixture.HASH + "\n";
  static final long SECOND = 1_000_000_000L;

  @TempDir Path dir;
  final AtomicLong clock = new AtomicLong();
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(WebConfigSource.class);
  Path file;

  @BeforeEach
  void captureLogs() {
    logs.start();
    logger.addAppender(logs);
    file = dir.resolve("web.yml");
  }

  @AfterEach
  void releaseLogs() {
    logger.detachAppender(logs);
  }

  private WebConfigSource open() throws InvalidWebConfigException {
    return WebConfigSource.open(file, "--web.config.file", clock::get, Duration.ofSeconds(1));
  }

  private void write(String yaml) throws Exception {
    // A new inode and size/mtime, as editors and Kubernetes secret updates produce.
    Path tmp = dir.resolve("web.yml.tmp");
    Files.writeString(tmp, yaml);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private List<ILoggingEvent> warnings() {
    return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
  }

  @Test
  void aValidChangeIsInForceFromTheNextCheck() throws Exception {
    write(ALICE);
    WebConfigSource source = open();
    write(BOB);

    assertThat(source.current().users()).containsOnlyKeys("alice"); // not yet checked
    clock.addAndGet(SECOND);
    assertThat(source.current().users()).containsOnlyKeys("bob");
    assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("now in force"));
  }

  @Test
  void anInvalidChangeKeepsTheLastGoodConfigAndSaysWhyOnce() throws Exception {
    write(ALICE);
    WebConfigSource source = open();
    write("basic_auth_users:\n  alice: not-a-hash\n");

    for (int i = 0; i < 5; i++) {
      clock.addAndGet(SECOND);
      assertThat(source.current().users()).containsOnlyKeys("alice");
    }
    assertThat(warnings()).hasSize(1);
    ILoggingEvent warning = warnings().get(0);
    assertThat(warning.getFormattedMessage()).contains("keeping the last good one");
    assertThat(warning.getKeyValuePairs().toString())
        .contains(file + ": basic_auth_users.alice: is not a bcrypt hash")
        .doesNotContain("not-a-hash");

    write(BOB);
    clock.addAndGet(SECOND);
    assertThat(source.current().users()).containsOnlyKeys("bob");
  }

  @Test
  void aDeletedFileKeepsTheLastGoodConfig() throws Exception {
    write(ALICE);
    WebConfigSource source = open();
    Files.delete(file);
    clock.addAndGet(SECOND);
    assertThat(source.current().users()).containsOnlyKeys("alice");
    assertThat(warnings())
        .singleElement()
        .satisfies(w -> assertThat(w.getKeyValuePairs().toString()).contains("no such file"));
  }

  @Test
  void switchingTlsOnNeedsARestart() throws Exception {
    write(ALICE);
    WebConfigSource source = open();
    Issued ca = TestPki.ca("ca");
    Issued server = TestPki.server(ca);
    server.writeCert(dir.resolve("tls.crt"));
    server.writeKey(dir.resolve("tls.key"));
    write("tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n");
    clock.addAndGet(SECOND);
    assertThat(source.current().tls()).isEmpty();
    assertThat(source.tls()).isFalse();
    assertThat(warnings().get(0).getKeyValuePairs().toString()).contains("needs a restart");
  }

  @Test
  void aRenewedCertificateIsPickedUpWithoutTouchingTheYaml() throws Exception {
    Issued ca = TestPki.ca("ca");
    Issued first = TestPki.server(ca);
    first.writeCert(dir.resolve("tls.crt"));
    first.writeKey(dir.resolve("tls.key"));
    write("tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n");
    WebConfigSource source = open();

    Issued renewed = TestPki.server(ca);
    renewed.writeCert(dir.resolve("tls.crt"));
    clock.addAndGet(SECOND);
    // Certificate written, key not yet: the pair does not match, so the old pair stays.
    assertThat(source.current().tls().orElseThrow().chain()).containsExactly(first.cert());
    renewed.writeKey(dir.resolve("tls.key"));
    clock.addAndGet(SECOND);
    assertThat(source.current().tls().orElseThrow().chain()).containsExactly(renewed.cert());
  }

  @Test
  void aFailedVersionIsRetriedWhenAFileItNamesAppearsLater() throws Exception {
    Issued ca = TestPki.ca("ca");
    Issued server = TestPki.server(ca);
    server.writeCert(dir.resolve("tls.crt"));
    server.writeKey(dir.resolve("tls.key"));
    write("tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n");
    WebConfigSource source = open();
    write(
        "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n"
            + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n");
    clock.addAndGet(SECOND);
    assertThat(source.current().tls().orElseThrow().clientAuth())
        .isEqualTo(ClientAuth.NO_CLIENT_CERT);

    ca.writeCert(dir.resolve("ca.crt")); // a file the last good version did not watch
    clock.addAndGet(15 * SECOND);
    assertThat(source.current().tls().orElseThrow().clientAuth())
        .isEqualTo(ClientAuth.REQUIRE_AND_VERIFY_CLIENT_CERT);
  }
}

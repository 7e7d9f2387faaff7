package io.github.synapsebgu.exporter.http.webconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.synapsebgu.exporter.http.Responses;
import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.http.webconfig.TestPki.Issued;
import io.github.synapsebgu.exporter.testing.LogCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web config, certificate or key replaced by a named pipe: opening it would block until a writer
 * comes, so it must be refused unopened, at startup as a usage error and on a reload by keeping the
 * last good configuration while requests go on being answered.
 */
class NamedPipeWebConfigTest {
  private static final String ALICE = RawHttp.basic("alice", "s3cret"); // WebConfigFileFixture.HASH
  private static final String USERS =
      "basic_auth_users:\n  alice: " + WebConfigFileFixture.HASH + "\n";

  @TempDir Path dir;
  WebServer web;
  Path fifo;

  @AfterEach
  void stop() {
    releaseReaders(); // first: a worker stuck on the pipe would hold up close()
    if (web != null) {
      web.close();
    }
  }

  @Test
  void a_named_pipe_as_the_web_config_is_a_usage_error_naming_it() throws Exception {
    Path file = fifo("web.yml");

    JavaProcess.Result r = startDemo(file);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr().strip())
        .isEqualTo(
            "synapse-bgu-exporter: --web.config.file: "
                + file
                + ": not a regular file (a named pipe, socket or device?)");
    assertThat(r.stdout() + r.stderr()).doesNotContain("Listening");
  }

  @Test
  void a_named_pipe_as_the_certificate_is_a_usage_error_naming_it() throws Exception {
    Issued server = TestPki.server(TestPki.ca("ca"));
    server.writeKey(dir.resolve("tls.key"));
    Path cert = fifo("tls.crt");
    Path file = TestPki.write(dir.resolve("web.yml"), WebConfigFileFixture.TLS);

    JavaProcess.Result r = startDemo(file);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr())
        .contains("--web.config.file: " + file + ": tls_server_config.cert_file: cannot read")
        .contains(cert + ": not a regular file (a named pipe, socket or device?)");
  }

  @Test
  void a_web_config_replaced_by_a_named_pipe_keeps_the_last_good_one_and_requests_answered()
      throws Exception {
    Path file = TestPki.write(dir.resolve("web.yml"), USERS);
    InetSocketAddress addr = start(file);
    assertThat(RawHttp.get(null, addr, "/metrics", ALICE).status()).isEqualTo(200);

    try (LogCapture logs = new LogCapture()) {
      Files.move(fifo("web.yml.new"), file, StandardCopyOption.REPLACE_EXISTING);
      fifo = file;
      keepsAnswering(null, addr);

      assertThat(logs.lines())
          .filteredOn(l -> l.contains("level=warn"))
          .singleElement()
          .asString()
          .contains("keeping the last good one")
          .contains(file + ": not a regular file");
    }
  }

  @Test
  void a_certificate_replaced_by_a_named_pipe_keeps_the_last_good_one_and_requests_answered()
      throws Exception {
    Issued ca = TestPki.ca("ca");
    Issued server = TestPki.server(ca);
    server.writeCert(dir.resolve("tls.crt"));
    server.writeKey(dir.resolve("tls.key"));
    Path file = TestPki.write(dir.resolve("web.yml"), WebConfigFileFixture.TLS + USERS);
    InetSocketAddress addr = start(file);
    SSLContext client = TestPki.trusting(ca);
    assertThat(RawHttp.get(client, addr, "/metrics", ALICE).status()).isEqualTo(200);

    try (LogCapture logs = new LogCapture()) {
      Path cert = dir.resolve("tls.crt");
      Files.move(fifo("tls.crt.new"), cert, StandardCopyOption.REPLACE_EXISTING);
      fifo = cert;
      keepsAnswering(client, addr);

      assertThat(logs.lines())
          .filteredOn(l -> l.contains("level=warn"))
          .singleElement()
          .asString()
          .contains("keeping the last good one")
          .contains(cert + ": not a regular file");
    }
  }

  /** Past the 1 s check interval, every request is answered with the old config's verdict. */
  private static void keepsAnswering(SSLContext tls, InetSocketAddress addr) {
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
          while (System.nanoTime() - until < 0) {
            assertThat(RawHttp.get(tls, addr, "/metrics", ALICE).status()).isEqualTo(200);
            assertThat(RawHttp.get(tls, addr, "/metrics", null).status()).isEqualTo(401);
            Thread.sleep(100);
          }
        });
  }

  private InetSocketAddress start(Path file) throws Exception {
    web =
        WebServer.builder()
            .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .webConfig(WebConfigSource.open(file, "--web.config.file"))
            .route("/metrics", ex -> Responses.text(ex, 200, "up 1\n"))
            .start();
    return web.address();
  }

  private static JavaProcess.Result startDemo(Path file) throws Exception {
    return JavaProcess.run(
        List.of(),
        WebConfigStartupTest.MAIN,
        List.of("--demo", "--web.listen-address=127.0.0.1:0", "--web.config.file=" + file),
        Map.of(),
        60);
  }

  private Path fifo(String name) throws InterruptedException {
    Path at = dir.resolve(name);
    boolean made;
    try {
      Process p = new ProcessBuilder("mkfifo", at.toString()).redirectErrorStream(true).start();
      made = p.waitFor() == 0 && Files.exists(at);
    } catch (IOException e) {
      made = false; // no mkfifo on this machine
    }
    assumeTrue(made, "mkfifo is not available here: cannot make a named pipe");
    fifo = at;
    return at;
  }

  /**
   * Code that wrongly opened the pipe is blocked in {@code open()}; a writer opening it once lets
   * such a reader go (it reads end of file), so a failing test leaves no stuck thread behind. With
   * no reader the writer itself would block, hence a daemon thread.
   */
  private void releaseReaders() {
    if (fifo == null || !Files.exists(fifo)) {
      return;
    }
    Path pipe = fifo;
    Thread t =
        new Thread(
            () -> {
              try (OutputStream out = Files.newOutputStream(pipe)) {
                out.flush();
              } catch (IOException e) {
                // gone already: nothing to release
              }
            });
    t.setDaemon(true);
    t.start();
  }
}

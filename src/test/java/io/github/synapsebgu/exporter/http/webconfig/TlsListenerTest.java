package io.github.synapsebgu.exporter.http.webconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.http.Responses;
import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.http.webconfig.TestPki.Issued;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS handshakes against a {@link WebServer} configured by a web config file. */
class TlsListenerTest {
  static Issued serverCa;
  static Issued server;
  static Issued clientCa;
  static Issued client;
  static Issued stranger; // a client certificate from a CA the server does not trust

  @TempDir Path dir;
  WebServer web;

  @BeforeAll
  static void pki() {
    serverCa = TestPki.ca("server-ca");
    server = TestPki.server(serverCa);
    clientCa = TestPki.ca("client-ca");
    client = TestPki.client(clientCa, "prometheus");
    Issued otherCa = TestPki.ca("other-ca");
    stranger = TestPki.client(otherCa, "stranger");
  }

  @AfterEach
  void stop() {
    if (web != null) {
      web.close();
    }
  }

  private InetSocketAddress start(String tlsExtra, String rest) throws Exception {
    server.writeCert(dir.resolve("tls.crt"));
    server.writeKey(dir.resolve("tls.key"));
    clientCa.writeCert(dir.resolve("client-ca.crt"));
    Path file =
        TestPki.write(
            dir.resolve("web.yml"),
            "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n" + tlsExtra + rest);
    web =
        WebServer.builder()
            .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .webConfig(WebConfigSource.open(file, "--web.config.file"))
            .route("/metrics", ex -> Responses.text(ex, 200, "up 1\n"))
            .route("/-/healthy", ex -> Responses.text(ex, 200, "Healthy\n"))
            .start();
    return web.address();
  }

  private static final String MTLS =
      "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: client-ca.crt\n";

  @Test
  void servesHttpsWithTheConfiguredCertificate() throws Exception {
    InetSocketAddress addr = start("", "");
    assertThat(web.tls()).isTrue();
    try (SSLSocket s = RawHttp.handshake(TestPki.trusting(serverCa), addr)) {
      assertThat(s.getSession().getPeerCertificates()[0]).isEqualTo(server.cert());
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
      RawHttp.Response r = RawHttp.exchange(s, addr, "/metrics", null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("up 1\n");
    }
  }

  @Test
  void refusesPlainHttpOnTheTlsPort() throws Exception {
    InetSocketAddress addr = start("", "");
    assertThatThrownBy(() -> RawHttp.get(null, addr, "/metrics", null))
        .isInstanceOf(IOException.class);
    // The listener is still fine for TLS clients afterwards.
    assertThat(RawHttp.get(TestPki.trusting(serverCa), addr, "/metrics", null).status())
        .isEqualTo(200);
  }

  @Test
  void mutualTlsAcceptsAClientCertificateFromTheClientCa() throws Exception {
    InetSocketAddress addr = start(MTLS, "");
    RawHttp.Response r = RawHttp.get(client.clientContext(serverCa), addr, "/metrics", null);
    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  void mutualTlsRefusesNoCertificateAndAnUntrustedOne() throws Exception {
    InetSocketAddress addr = start(MTLS, "");
    assertThatThrownBy(() -> RawHttp.get(TestPki.trusting(serverCa), addr, "/metrics", null))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> RawHttp.get(stranger.clientContext(serverCa), addr, "/metrics", null))
        .isInstanceOf(IOException.class);
  }

  @Test
  void verifyClientCertIfGivenLetsClientsWithoutOneInButChecksAGivenOne() throws Exception {
    InetSocketAddress addr =
        start("  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: client-ca.crt\n", "");
    assertThat(RawHttp.get(TestPki.trusting(serverCa), addr, "/metrics", null).status())
        .isEqualTo(200);
    assertThat(RawHttp.get(client.clientContext(serverCa), addr, "/metrics", null).status())
        .isEqualTo(200);
    assertThatThrownBy(() -> RawHttp.get(stranger.clientContext(serverCa), addr, "/metrics", null))
        .isInstanceOf(IOException.class);
  }

  @Test
  void requireAnyClientCertWantsACertificateButDoesNotVerifyIt() throws Exception {
    InetSocketAddress addr = start("  client_auth_type: RequireAnyClientCert\n", "");
    assertThat(RawHttp.get(stranger.clientContext(serverCa), addr, "/metrics", null).status())
        .isEqualTo(200);
    assertThatThrownBy(() -> RawHttp.get(TestPki.trusting(serverCa), addr, "/metrics", null))
        .isInstanceOf(IOException.class);
  }

  @Test
  void acceptsTls12ByDefaultAndRefusesItWhenMinVersionIsTls13() throws Exception {
    InetSocketAddress addr = start("", "");
    try (SSLSocket s = RawHttp.handshake(TestPki.trusting(serverCa), addr, "TLSv1.2")) {
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
    }
    web.close();
    InetSocketAddress strict = start("  min_version: TLS13\n", "");
    assertThatThrownBy(() -> RawHttp.handshake(TestPki.trusting(serverCa), strict, "TLSv1.2"))
        .isInstanceOf(IOException.class);
    try (SSLSocket s = RawHttp.handshake(TestPki.trusting(serverCa), strict, "TLSv1.3")) {
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
  }

  @Test
  void basicAuthLetsTheRightPasswordInAndAsksAgainOtherwise() throws Exception {
    InetSocketAddress addr =
        start("", "basic_auth_users:\n  alice: " + WebConfigFileFixture.HASH + "\n");
    SSLContext tls = TestPki.trusting(serverCa);

    RawHttp.Response ok = RawHttp.get(tls, addr, "/metrics", RawHttp.basic("alice", "s3cret"));
    RawHttp.Response wrong = RawHttp.get(tls, addr, "/metrics", RawHttp.basic("alice", "guess"));
    RawHttp.Response none = RawHttp.get(tls, addr, "/metrics", null);

    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("up 1\n");
    for (RawHttp.Response refused : new RawHttp.Response[] {wrong, none}) {
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate")).isEqualTo("Basic");
      assertThat(refused.body()).doesNotContain("up 1");
    }
  }

  @Test
  void excludedPathsAndConfiguredHeaders() throws Exception {
    InetSocketAddress addr =
        start(
            "",
            "basic_auth_users:\n  alice: "
                + WebConfigFileFixture.HASH
                + "\nauth_excluded_paths: [/-/healthy]\n"
                + "http_server_config:\n  headers:\n    X-Frame-Options: deny\n");
    SSLContext tls = TestPki.trusting(serverCa);
    RawHttp.Response probe = RawHttp.get(tls, addr, "/-/healthy", null);
    assertThat(probe.status()).isEqualTo(200);
    assertThat(probe.header("X-Frame-Options")).isEqualTo("deny");
    assertThat(RawHttp.get(tls, addr, "/metrics", null).status()).isEqualTo(401);
  }

  @Test
  void aRotatedCertificateIsServedToNewConnectionsWithoutRestart() throws Exception {
    InetSocketAddress addr = start("", "");
    SSLContext tls = TestPki.trusting(serverCa);
    assertThat(peer(tls, addr)).isEqualTo(server.cert());

    Issued renewed = TestPki.server(serverCa);
    renewed.writeKey(dir.resolve("tls.key"));
    renewed.writeCert(dir.resolve("tls.crt"));

    awaitPeer(tls, addr, renewed.cert());
  }

  @Test
  void aReplacedClientCaShutsOutItsClientsAtOnceEvenOnResumedSessions() throws Exception {
    InetSocketAddress addr = start(MTLS, "");
    // One context, as a long-running scraper has: it resumes its TLS session on reconnect, which
    // skips the handshake's certificate check.
    SSLContext tls = client.clientContext(serverCa);
    assertThat(RawHttp.get(tls, addr, "/metrics", null).status()).isEqualTo(200);

    TestPki.ca("replacement-ca").writeCert(dir.resolve("client-ca.crt"));

    long deadline = System.nanoTime() + 5_000_000_000L;
    String outcome = "200";
    while (outcome.equals("200") && System.nanoTime() < deadline) {
      Thread.sleep(100);
      try {
        outcome = Integer.toString(RawHttp.get(tls, addr, "/metrics", null).status());
      } catch (IOException handshakeRefused) {
        outcome = "refused";
      }
    }
    assertThat(outcome).isIn("403", "refused");
    // A fresh client with the old certificate is refused in the handshake itself.
    assertThatThrownBy(() -> RawHttp.get(client.clientContext(serverCa), addr, "/metrics", null))
        .isInstanceOf(IOException.class);
  }

  private static X509Certificate peer(SSLContext tls, InetSocketAddress addr) throws IOException {
    try (SSLSocket s = RawHttp.handshake(tls, addr)) {
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  static void awaitPeer(SSLContext tls, InetSocketAddress addr, X509Certificate expected)
      throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    X509Certificate seen = peer(tls, addr);
    while (!seen.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      seen = peer(tls, addr);
    }
    assertThat(seen).isEqualTo(expected);
  }
}

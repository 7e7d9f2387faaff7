package io.github.synapsebgu.exporter.http.webconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.http.webconfig.TestPki.Issued;
import org.junit.jupiter.api.Test;

class WebConfigParserTest extends WebConfigFileFixture {
  @Test
  void readsAFullToolkitFileWithPathsRelativeToItsDirectory() throws Exception {
    writeServerFiles();
    WebConfig c =
        WebConfigParser.parse(
            config(
                """
                tls_server_config:
                  cert_file: tls.crt
                  key_file: tls.key
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: ca.crt
                  min_version: TLS13
                  prefer_server_cipher_suites: false
                http_server_config:
                  http2: false
                  headers:
                    X-Frame-Options: deny
                    Strict-Transport-Security: max-age=31536000
                basic_auth_users:
                  alice: %s
                auth_excluded_paths: [/-/healthy]
                """
                    .formatted(HASH)));

    TlsSettings tls = c.tls().orElseThrow();
    assertThat(tls.chain()).containsExactly(server.cert());
    assertThat(tls.key()).isEqualTo(server.key());
    assertThat(tls.clientAuth()).isEqualTo(ClientAuth.REQUIRE_AND_VERIFY_CLIENT_CERT);
    assertThat(tls.clientCas()).containsExactly(clientCa.cert());
    assertThat(tls.protocols()).containsExactly("TLSv1.3");
    assertThat(tls.preferServerCipherSuites()).isFalse();
    assertThat(c.users()).containsEntry("alice", HASH);
    assertThat(c.headers())
        .containsEntry("X-Frame-Options", "deny")
        .containsEntry("Strict-Transport-Security", "max-age=31536000");
    assertThat(c.authExcludedPaths()).containsExactly("/-/healthy");
    assertThat(c.watchedFiles())
        .containsExactly(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("ca.crt"));
  }

  @Test
  void defaultsToTls12UpTo13() throws Exception {
    writeServerFiles();
    WebConfig c = WebConfigParser.parse(config(TLS));
    assertThat(c.tls().orElseThrow().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(c.tls().orElseThrow().clientAuth()).isEqualTo(ClientAuth.NO_CLIENT_CERT);
    assertThat(c.basicAuth()).isFalse();
  }

  @Test
  void readsRsaKeysInPkcs1AndEcKeysInSec1AndPkcs8() throws Exception {
    String tls = TLS;
    Issued rsa = TestPki.serverRsa(ca);
    rsa.writeCert(dir.resolve("tls.crt"));
    TestPki.write(dir.resolve("tls.key"), rsa.traditionalPem());
    assertThat(rsa.traditionalPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(WebConfigParser.parse(config(tls)).tls().orElseThrow().key()).isEqualTo(rsa.key());
    TestPki.write(dir.resolve("tls.key"), rsa.pkcs8Pem());
    assertThat(WebConfigParser.parse(config(tls)).tls().orElseThrow().key()).isEqualTo(rsa.key());

    Issued ec = TestPki.server(ca);
    ec.writeCert(dir.resolve("tls.crt"));
    TestPki.write(dir.resolve("tls.key"), ec.traditionalPem());
    assertThat(ec.traditionalPem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(ecScalar(WebConfigParser.parse(config(tls)).tls().orElseThrow().key()))
        .isEqualTo(ecScalar(ec.key()));

    TestPki.write(dir.resolve("tls.key"), ec.pkcs8Pem());
    assertThat(ecScalar(WebConfigParser.parse(config(tls)).tls().orElseThrow().key()))
        .isEqualTo(ecScalar(ec.key()));
  }

  private static java.math.BigInteger ecScalar(java.security.PrivateKey key) {
    return ((java.security.interfaces.ECPrivateKey) key).getS();
  }

  @Test
  void readsAnEmptyFileAsPlainHttpWithoutAuth() throws Exception {
    WebConfig c = WebConfigParser.parse(config(""));
    assertThat(c.tls()).isEmpty();
    assertThat(c.basicAuth()).isFalse();
  }

  @Test
  void cipherSuitesKeepTheirOrderAndTls13SuitesStayOn() throws Exception {
    writeServerFiles();
    WebConfig c =
        WebConfigParser.parse(
            config(
                """
                tls_server_config:
                  cert_file: tls.crt
                  key_file: tls.key
                  cipher_suites:
                    - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
                    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
                """));
    assertThat(c.tls().orElseThrow().cipherSuites().orElseThrow())
        .startsWith(
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        .contains("TLS_AES_128_GCM_SHA256");
  }
}

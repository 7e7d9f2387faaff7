package io.github.synapsebgu.exporter.http.webconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.synapsebgu.exporter.http.webconfig.TestPki.Issued;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebConfigParserTest {
  // `htpasswd -nbBC 4 alice s3cret` (Apache's tool; cost 4 keeps the tests quick).
  static final String HASH = "$2y$04$tLsTlXS3YrbUPBODKj2j3OxxJgDRzOQKYF201BaBArW25a22ayita";

  static Issued ca;
  static Issued server;
  static Issued clientCa;

  @TempDir Path dir;

  @BeforeAll
  static void pki() {
    ca = TestPki.ca("test-ca");
    server = TestPki.server(ca);
    clientCa = TestPki.ca("client-ca");
  }

  private Path config(String yaml) {
    return TestPki.write(dir.resolve("web.yml"), yaml);
  }

  private void writeServerFiles() {
    server.writeCert(dir.resolve("tls.crt"));
    server.writeKey(dir.resolve("tls.key"));
    clientCa.writeCert(dir.resolve("ca.crt"));
  }

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
    WebConfig c =
        WebConfigParser.parse(
            config("tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n"));
    assertThat(c.tls().orElseThrow().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(c.tls().orElseThrow().clientAuth()).isEqualTo(ClientAuth.NO_CLIENT_CERT);
    assertThat(c.basicAuth()).isFalse();
  }

  @Test
  void readsRsaKeysInPkcs1AndEcKeysInSec1AndPkcs8() throws Exception {
    String tls = "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n";
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

  @Test
  void rejectsAnUnknownKeyNamingFileAndField() {
    Path file = config("basic_auth_user:\n  alice: x\n");
    assertThatThrownBy(() -> WebConfigParser.parse(file))
        .isInstanceOf(InvalidWebConfigException.class)
        .hasMessageStartingWith(file + ": basic_auth_user: unknown field");
  }

  @Test
  void rejectsAnUnknownNestedKey() {
    writeServerFiles();
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(
                    config(
                        "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n"
                            + "  min_versoin: TLS13\n")))
        .hasMessageContaining("tls_server_config.min_versoin: unknown field");
  }

  @Test
  void rejectsToolkitOptionsThisExporterDoesNotImplement() {
    assertThatThrownBy(() -> WebConfigParser.parse(config("rate_limit:\n  burst: 5\n")))
        .hasMessageContaining("rate_limit: is an exporter-toolkit option this exporter does not");
    assertThatThrownBy(
            () -> WebConfigParser.parse(config("tls_server_config:\n  client_allowed_sans: [a]\n")))
        .hasMessageContaining("tls_server_config.client_allowed_sans");
  }

  @Test
  void rejectsDuplicateKeys() {
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(
                    config(
                        "basic_auth_users:\n  a: %s\nbasic_auth_users:\n  b: %s\n"
                            .formatted(HASH, HASH))))
        .hasMessageContaining("not valid YAML")
        .hasMessageContaining("basic_auth_users");
  }

  @Test
  void rejectsABcryptHashThatDoesNotParseWithoutEchoingIt() {
    String bad = "$2y$10$tooShortToBeAHash";
    Path file = config("basic_auth_users:\n  alice: " + HASH + "\n  bob: \"" + bad + "\"\n");
    assertThatThrownBy(() -> WebConfigParser.parse(file))
        .hasMessageStartingWith(file + ": basic_auth_users.bob: is not a bcrypt hash")
        .hasMessageContaining("htpasswd -nbBC 10")
        .hasMessageNotContaining(bad)
        .hasMessageNotContaining(HASH);
  }

  @Test
  void rejectsAPlainTextPasswordWhereAHashBelongs() {
    assertThatThrownBy(() -> WebConfigParser.parse(config("basic_auth_users:\n  alice: s3cret\n")))
        .hasMessageContaining("basic_auth_users.alice: is not a bcrypt hash")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void refusesTls11AndOlder() {
    writeServerFiles();
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(
                    config(
                        "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n"
                            + "  min_version: TLS11\n")))
        .hasMessageContaining("tls_server_config.min_version: TLS11 is refused");
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(
                    config(
                        "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n"
                            + "  min_version: TLS13\n  max_version: TLS12\n")))
        .hasMessageContaining("min_version: is newer than max_version");
  }

  @Test
  void rejectsAnUnknownClientAuthTypeListingTheValidOnes() {
    writeServerFiles();
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(
                    config(
                        "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n"
                            + "  client_auth_type: RequireCert\n")))
        .hasMessageContaining("client_auth_type: invalid value \"RequireCert\"")
        .hasMessageContaining("RequireAndVerifyClientCert");
  }

  @Test
  void insistsOnAClientCaWhereCertificatesAreVerifiedAndOnAPolicyWhereOneIsGiven() {
    writeServerFiles();
    String base = "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n";
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(
                    config(base + "  client_auth_type: VerifyClientCertIfGiven\n")))
        .hasMessageContaining("client_ca_file: is required with client_auth_type");
    assertThatThrownBy(() -> WebConfigParser.parse(config(base + "  client_ca_file: ca.crt\n")))
        .hasMessageContaining("client_ca_file: is set but client_auth_type is NoClientCert");
  }

  @Test
  void namesTheMissingOrMismatchedFile() {
    writeServerFiles();
    assertThatThrownBy(
            () -> WebConfigParser.parse(config("tls_server_config:\n  cert_file: tls.crt\n")))
        .hasMessageContaining("tls_server_config.key_file: is required");
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(
                    config("tls_server_config:\n  cert_file: nope.crt\n  key_file: tls.key\n")))
        .hasMessageContaining("tls_server_config.cert_file: cannot read " + dir.resolve("nope.crt"))
        .hasMessageContaining("no such file");
    TestPki.write(dir.resolve("other.key"), TestPki.server(ca).pkcs8Pem());
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(
                    config("tls_server_config:\n  cert_file: tls.crt\n  key_file: other.key\n")))
        .hasMessageContaining("does not belong to the certificate");
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(
                    config("tls_server_config:\n  cert_file: tls.key\n  key_file: tls.key\n")))
        .hasMessageContaining("tls_server_config.cert_file: " + dir.resolve("tls.key"))
        .hasMessageContaining("only PEM certificates");
    TestPki.write(dir.resolve("empty.crt"), "nothing here\n");
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(
                    config(
                        "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n"
                            + "  client_auth_type: RequireAndVerifyClientCert\n"
                            + "  client_ca_file: empty.crt\n")))
        .hasMessageContaining("client_ca_file: " + dir.resolve("empty.crt") + " holds no PEM");
  }

  @Test
  void acceptsOnlyTheToolkitsHeadersAndValues() {
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(
                    config("http_server_config:\n  headers:\n    X-Frame-Options: allow\n")))
        .hasMessageContaining("http_server_config.headers.X-Frame-Options: invalid value");
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(
                    config("http_server_config:\n  headers:\n    Server: mine\n")))
        .hasMessageContaining("http_server_config.headers.Server: unknown field");
  }

  @Test
  void rejectsAnUnknownCipherSuite() {
    writeServerFiles();
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(
                    config(
                        "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n"
                            + "  cipher_suites: [TLS_RSA_WITH_RC4_128_MD5]\n")))
        .hasMessageContaining("unknown or disabled cipher suite \"TLS_RSA_WITH_RC4_128_MD5\"");
  }

  @Test
  void reportsTheLineOfBrokenYaml() {
    Path file = config("basic_auth_users:\n  alice: [unclosed\n");
    assertThatThrownBy(() -> WebConfigParser.parse(file))
        .hasMessageStartingWith(file + ": not valid YAML at line");
  }
}

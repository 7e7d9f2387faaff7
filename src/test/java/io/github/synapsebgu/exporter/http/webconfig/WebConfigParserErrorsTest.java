package io.github.synapsebgu.exporter.http.webconfig;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the parser refuses, and how it says so: file, field, problem, never a secret. */
class WebConfigParserErrorsTest extends WebConfigFileFixture {
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
    assertThatThrownBy(() -> WebConfigParser.parse(config(TLS + "  min_versoin: TLS13\n")))
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
    assertThatThrownBy(() -> WebConfigParser.parse(config(TLS + "  min_version: TLS11\n")))
        .hasMessageContaining("tls_server_config.min_version: TLS11 is refused");
    assertThatThrownBy(
            () ->
                WebConfigParser.parse(config(TLS + "  min_version: TLS13\n  max_version: TLS12\n")))
        .hasMessageContaining("min_version: is newer than max_version");
  }

  @Test
  void rejectsAnUnknownClientAuthTypeListingTheValidOnes() {
    writeServerFiles();
    assertThatThrownBy(
            () -> WebConfigParser.parse(config(TLS + "  client_auth_type: RequireCert\n")))
        .hasMessageContaining("client_auth_type: invalid value \"RequireCert\"")
        .hasMessageContaining("RequireAndVerifyClientCert");
  }

  @Test
  void insistsOnAClientCaWhereCertificatesAreVerifiedAndOnAPolicyWhereOneIsGiven() {
    writeServerFiles();
    String base = TLS;
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
                        TLS
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
                    config(TLS + "  cipher_suites: [TLS_RSA_WITH_RC4_128_MD5]\n")))
        .hasMessageContaining("unknown or disabled cipher suite \"TLS_RSA_WITH_RC4_128_MD5\"");
  }

  @Test
  void reportsTheLineOfBrokenYaml() {
    Path file = config("basic_auth_users:\n  alice: [unclosed\n");
    assertThatThrownBy(() -> WebConfigParser.parse(file))
        .hasMessageStartingWith(file + ": not valid YAML at line");
  }
}

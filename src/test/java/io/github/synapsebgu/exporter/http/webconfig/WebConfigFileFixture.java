package io.github.synapsebgu.exporter.http.webconfig;

import io.github.synapsebgu.exporter.http.webconfig.TestPki.Issued;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A web config file in a temporary directory, next to the PEM files it names. */
abstract class WebConfigFileFixture {
  // `htpasswd -nbBC 4 alice s3cret` (Apache's tool; cost 4 keeps the tests quick).
  static final String HASH = "$2y$04$tLsTlXS3YrbUPBODKj2j3OxxJgDRzOQKYF201BaBArW25a22ayita";

  /** The smallest TLS section; tests append to it. */
  static final String TLS = "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n";

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

  Path config(String yaml) {
    return TestPki.write(dir.resolve("web.yml"), yaml);
  }

  /** tls.crt, tls.key and ca.crt (a client CA). */
  void writeServerFiles() {
    server.writeCert(dir.resolve("tls.crt"));
    server.writeKey(dir.resolve("tls.key"));
    clientCa.writeCert(dir.resolve("ca.crt"));
  }
}

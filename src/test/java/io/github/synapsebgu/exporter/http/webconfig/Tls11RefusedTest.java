package io.github.synapsebgu.exporter.http.webconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Tls11RefusedTest {
  @TempDir Path dir;

  @Test
  void theListenerRefusesTls11EvenWhereTheJdkWouldAllowIt() throws Exception {
    // Re-enables TLS 1.0 and 1.1 for the probe's JVM only (the JDK default line minus them).
    Path security =
        TestPki.write(
            dir.resolve("java.security"),
            "jdk.tls.disabledAlgorithms=SSLv3, DTLSv1.0, RC4, DES, MD5withRSA, DH keySize < 1024,"
                + " EC keySize < 224, 3DES_EDE_CBC, anon, NULL, ECDH\n");

    JavaProcess.Result r =
        JavaProcess.run(
            List.of("-Djava.security.properties=" + security),
            Tls11Probe.class.getName(),
            List.of(),
            Map.of(),
            60);

    assertThat(r.exit()).as(r.stderr()).isZero();
    // The control proves TLS 1.1 really works in that JVM; the exporter still refuses it.
    assertThat(r.stdout().lines())
        .contains(
            "control TLSv1.1 ok TLSv1.1",
            "control TLSv1.2 ok TLSv1.2",
            "exporter TLSv1.2 ok TLSv1.2")
        .anyMatch(l -> l.startsWith("exporter TLSv1.1 refused"));
  }
}

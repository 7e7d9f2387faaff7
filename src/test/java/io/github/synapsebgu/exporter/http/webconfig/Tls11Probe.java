package io.github.synapsebgu.exporter.http.webconfig;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.synapsebgu.exporter.http.Responses;
import io.github.synapsebgu.exporter.http.WebServer;
import io.github.synapsebgu.exporter.http.webconfig.TestPki.Issued;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;

/**
 * Run in its own JVM by {@link Tls11RefusedTest}, with TLS 1.0/1.1 re-enabled JVM-wide (the JDK
 * disables them by default, which would hide whether the exporter refuses them itself). Prints one
 * line per handshake: {@code <server> <protocol> ok|refused}.
 */
public final class Tls11Probe {
  private Tls11Probe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("tls11-probe");
    Issued ca = TestPki.ca("probe-ca");
    Issued server = TestPki.server(ca);
    server.writeCert(dir.resolve("tls.crt"));
    server.writeKey(dir.resolve("tls.key"));
    Path file =
        TestPki.write(
            dir.resolve("web.yml"),
            "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n");
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    HttpsServer bare = HttpsServer.create(loopback, 0);
    bare.setHttpsConfigurator(new HttpsConfigurator(TestPki.serverContext(server)));
    bare.createContext("/", ex -> Responses.text(ex, 200, "bare\n"));
    bare.start();
    try (WebServer ours =
        WebServer.builder()
            .address(loopback)
            .webConfig(WebConfigSource.open(file, "--web.config.file"))
            .route("/", ex -> Responses.text(ex, 200, "ours\n"))
            .start()) {
      for (String protocol : new String[] {"TLSv1.1", "TLSv1.2"}) {
        probe("control", bare.getAddress(), protocol, ca);
        probe("exporter", ours.address(), protocol, ca);
      }
    } finally {
      bare.stop(0);
    }
  }

  private static void probe(String name, InetSocketAddress addr, String protocol, Issued ca) {
    try (SSLSocket s = RawHttp.handshake(TestPki.trusting(ca), addr, protocol)) {
      System.out.println(name + " " + protocol + " ok " + s.getSession().getProtocol());
    } catch (IOException e) {
      System.out.println(name + " " + protocol + " refused " + e.getClass().getSimpleName());
    }
  }
}

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * Benchmark peer: the JDK's built-in HTTP server, which the exporter runs on, answering every
 * request with a file's bytes read once at start (the exporter's own /metrics body). It shows
 * what the server costs by itself: the exporter cannot be faster than this on the same JVM.
 *
 * <p>Usage: javac -d DIR bench/JdkStatic.java; java @deploy/jvm.options -cp DIR JdkStatic PORT FILE
 * (loopback only). bench/run.sh compiles it first: the source-file launcher would keep the
 * compiler resident in the measured process.
 */
public final class JdkStatic {
  public static void main(String[] args) throws Exception {
    byte[] body = Files.readAllBytes(Path.of(args[1]));
    // The exporter's listener settings: no Nagle delay on keep-alive responses, 32 workers.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])),
            128);
    server.createContext(
        "/metrics",
        exchange -> {
          exchange
              .getResponseHeaders()
              .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    // For bench/startup.py, which waits for /-/ready after /metrics.
    server.createContext(
        "/-/ready",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(32));
    server.start();
  }
}

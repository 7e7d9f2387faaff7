package io.github.synapsebgu.exporter.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A homeserver at the socket level, for what {@link FakeSynapse} (WireMock) cannot do: resets,
 * silence after the headers, garbage, malformed chunks, drips (see {@link Behaviours}). Each
 * connection gets its own thread; the current {@link Behaviour} answers each request, and any token
 * is taken. It can stop listening (connection refused) and serve TLS.
 */
public final class FaultySocketServer implements AutoCloseable {
  /** Answers one request; returns true to keep the connection for another. */
  @FunctionalInterface
  public interface Behaviour {
    boolean respond(Socket socket, Request request) throws IOException, InterruptedException;
  }

  /** Header names in lower case. */
  public record Request(String method, String path, Map<String, String> headers) {}

  private final int port;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger busy = new AtomicInteger();
  private volatile Behaviour behaviour = Behaviours.healthy();
  private volatile SSLContext tls;
  private volatile ServerSocket listener;
  private volatile boolean closed;

  private FaultySocketServer(ServerSocket listener) {
    this.listener = listener;
    this.port = listener.getLocalPort();
    acceptOn(listener);
  }

  public static FaultySocketServer start() throws IOException {
    return new FaultySocketServer(bind(0));
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    // With a timeout the JDK polls instead of blocking in the kernel's accept(), which would keep
    // the port listening after close() until the next connection arrives (then "refused" is not).
    s.setSoTimeout(100);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
    return s;
  }

  public URI url() {
    return URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public void behave(Behaviour b) {
    this.behaviour = b;
  }

  /** Connections accepted from now on are TLS with this context; null for plain HTTP. */
  public void useTls(SSLContext context) {
    this.tls = context;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Stops listening: new connections are refused until {@link #listen()}. */
  public void refuse() throws IOException {
    listener.close();
  }

  /**
   * As a stopped Synapse: refuses new connections and drops the open ones, so that no kept-alive
   * connection of a client's pool (the shared async client may hold a second one for a moment after
   * rapid polls) can still be answered.
   */
  public void stop() throws IOException {
    refuse();
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  public void listen() throws IOException {
    listener = bind(port);
    acceptOn(listener);
  }

  /**
   * Waits until no connection is being answered and every connection the fake closed is gone; false
   * if some still was after {@code millis}.
   */
  public boolean awaitQuiet(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (busy.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return busy.get() == 0;
  }

  private void acceptOn(ServerSocket server) {
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  busy.incrementAndGet();
                  Thread h = new Thread(() -> serve(s), "faulty-socket-server-conn");
                  h.setDaemon(true);
                  h.start();
                } catch (java.net.SocketTimeoutException e) {
                  continue; // look at isClosed() again
                } catch (IOException e) {
                  return; // closed
                }
              }
            },
            "faulty-socket-server-accept");
    t.setDaemon(true);
    t.start();
  }

  private void serve(Socket plain) {
    Socket s = plain;
    open.add(plain);
    try {
      SSLContext context = tls;
      if (context != null) {
        SSLSocket secure =
            (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        secure.setUseClientMode(false);
        s = secure;
      }
      s.setSoTimeout(30_000);
      boolean again = true;
      while (again && !closed) {
        Request r = readRequest(s.getInputStream());
        if (r == null) {
          break;
        }
        requests.add(r);
        again = behaviour.respond(s, r);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // the client went away or the behaviour broke the connection on purpose
    } finally {
      try {
        s.close();
      } catch (IOException ignored) {
        // already broken
      }
      open.remove(plain);
      busy.decrementAndGet();
    }
  }

  private static Request readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] first = lines[0].split(" ");
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
      }
    }
    long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
    in.skipNBytes(length);
    return new Request(first[0], first[1], headers);
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (SocketException ignored) {
        // already closed
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}

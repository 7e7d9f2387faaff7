package io.github.synapsebgu.exporter.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a leak would show: threads, file descriptors, TCP connections, heap after GC. */
final class Resources {
  private Resources() {}

  static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /**
   * Threads other than the workers of the listener named {@code listener} ("web-1", "web-2", ...):
   * those are started on demand up to the pool's maximum, so their number follows the load, not a
   * leak.
   */
  static int threadsExceptWorkers(String listener) {
    return threads() - workers(listener);
  }

  /** Live worker threads of the listener named {@code listener}. */
  static int workers(String listener) {
    String prefix = listener + "-";
    return (int)
        Thread.getAllStackTraces().keySet().stream()
            .map(Thread::getName)
            .filter(n -> n.startsWith(prefix) && n.substring(prefix.length()).matches("\\d+"))
            .count();
  }

  static long openFileDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /**
   * Established TCP connections with {@code port} at either end, counted from the kernel's tables
   * (both ends of a loopback connection count, so one connection is 2).
   */
  static long establishedWith(int port) throws IOException {
    String hex = String.format(":%04X ", port);
    long n = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) {
        continue;
      }
      for (String line : Files.readAllLines(p)) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st ...; st 01 is ESTABLISHED
        if (f.length > 3
            && f[3].equals("01")
            && ((f[1] + " ").contains(hex) || (f[2] + " ").contains(hex))) {
          n++;
        }
      }
    }
    return n;
  }

  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}

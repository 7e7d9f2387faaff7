package io.github.synapsebgu.exporter.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker pool of a {@link WebServer}, with deadlines. The JDK server reads a request's line and
 * headers (and does the TLS handshake) on the worker thread once the first byte arrived, so a
 * client that sends one byte a second holds a worker; JDK 17 sets no limit on that by default
 * ({@code sun.net.httpserver.maxReqTime} is off, and JVM-wide, and frozen by whichever server
 * starts first). Here every exchange gets a deadline to finish its request (counted from when it
 * was handed to the pool) and one to finish its response (from when the handler starts); a watchdog
 * interrupts a worker past its deadline, which closes the blocking channel under it and frees the
 * worker. Threads and queue are bounded; when both are full the JDK closes the new connection at
 * once (load shedding rather than unbounded memory).
 */
final class ExchangeExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(ExchangeExecutor.class);
  private static final ThreadLocal<Tracked> CURRENT = new ThreadLocal<>();

  private final ThreadPoolExecutor pool;
  private final ScheduledThreadPoolExecutor watchdog;
  private final long requestNanos;
  private final long responseNanos;
  private final Set<Tracked> running = ConcurrentHashMap.newKeySet();
  private final AtomicLong timedOut = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  // Exchanges handed to the pool and not finished yet (running or queued).
  private final AtomicInteger submitted = new AtomicInteger();
  private volatile long lastRejectLogNanos = System.nanoTime() - 60_000_000_000L;

  ExchangeExecutor(
      String name, int threads, int queue, Duration requestTimeout, Duration responseTimeout) {
    this.requestNanos = requestTimeout.toNanos();
    this.responseNanos = responseTimeout.toNanos();
    AtomicInteger count = new AtomicInteger();
    WorkQueue work = new WorkQueue(queue);
    pool =
        new ThreadPoolExecutor(
            0,
            threads,
            60,
            TimeUnit.SECONDS,
            work,
            r -> daemon(r, name + "-" + count.incrementAndGet()),
            (r, p) -> {
              if (p.isShutdown() || !work.enqueue(r) || (p.isShutdown() && work.remove(r))) {
                reject(name);
              }
            });
    watchdog = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name + "-deadlines"));
    long tick = Math.max(50, Math.min(requestTimeout.toMillis(), responseTimeout.toMillis()) / 10);
    watchdog.scheduleWithFixedDelay(this::enforce, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** Called by the router on the worker: the request is in, the response phase starts. */
  static void handlerStarted() {
    Tracked t = CURRENT.get();
    if (t != null) {
      t.handlerStarted(System.nanoTime());
    }
  }

  @Override
  public void execute(Runnable exchange) {
    submitted.incrementAndGet();
    try {
      pool.execute(new Tracked(exchange, System.nanoTime()));
    } catch (RuntimeException e) {
      submitted.decrementAndGet();
      throw e;
    }
  }

  /** Exchanges cut off at a deadline so far. */
  long timedOut() {
    return timedOut.get();
  }

  /** Connections refused because every worker and queue slot was taken. */
  long rejected() {
    return rejected.get();
  }

  int largestPoolSize() {
    return pool.getLargestPoolSize();
  }

  void shutdown() {
    watchdog.shutdownNow();
    pool.shutdownNow();
  }

  private void reject(String name) {
    rejected.incrementAndGet();
    long now = System.nanoTime();
    if (now - lastRejectLogNanos > 60_000_000_000L) {
      lastRejectLogNanos = now;
      log.atWarn()
          .addKeyValue("listener", name)
          .addKeyValue("rejected_total", rejected.get())
          .log("All workers busy and the queue is full; closing new connections");
    }
    // The JDK server catches this and closes the connection.
    throw new RejectedExecutionException("worker queue full");
  }

  private void enforce() {
    long now = System.nanoTime();
    for (Tracked t : running) {
      if (t.interruptIfLate(now)) {
        timedOut.incrementAndGet();
        log.atDebug().log("Closing a connection that missed its request or response deadline");
      }
    }
  }

  /**
   * Hands an exchange to an idle worker, starts a new worker when none is idle (up to the maximum),
   * and queues only when all are busy. A plain pool would either queue behind a few workers that
   * slow clients hold, or start a thread for each of its first {@code threads} exchanges even while
   * others sit idle: each costs a stack and a malloc arena, a few MiB of resident memory in all.
   * Idle workers are counted as workers minus exchanges submitted and not finished: exact with one
   * producer (the server's dispatcher), unlike counting threads waiting on the queue, which lags
   * when the dispatcher hands over several connections at once.
   */
  private final class WorkQueue extends LinkedBlockingQueue<Runnable> {
    private static final long serialVersionUID = 1L;

    WorkQueue(int capacity) {
      super(capacity);
    }

    /** Called by the pool: refusing makes it start a worker, or call the rejection handler. */
    @Override
    public boolean offer(Runnable r) {
      int workers = pool.getPoolSize();
      if (workers < pool.getMaximumPoolSize() && submitted.get() > workers) {
        return false;
      }
      return super.offer(r);
    }

    /** From the rejection handler, once no worker can be added: wait in the queue if room. */
    boolean enqueue(Runnable r) {
      return super.offer(r);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private final class Tracked implements Runnable {
    private final Runnable exchange;
    private final long enqueuedNanos;
    private long handlerNanos;
    private Thread thread;
    private boolean finished;
    private boolean interrupted;

    Tracked(Runnable exchange, long enqueuedNanos) {
      this.exchange = exchange;
      this.enqueuedNanos = enqueuedNanos;
    }

    @Override
    public void run() {
      synchronized (this) {
        thread = Thread.currentThread();
      }
      CURRENT.set(this);
      running.add(this);
      // Waited in the queue past its request deadline: fail its first blocking read at once.
      if (interruptIfLate(System.nanoTime())) {
        timedOut.incrementAndGet();
      }
      try {
        exchange.run();
      } finally {
        synchronized (this) {
          finished = true;
          thread = null;
        }
        running.remove(this);
        submitted.decrementAndGet();
        CURRENT.remove();
        // The flag belongs to this exchange only; the pooled thread goes on clean.
        Thread.interrupted();
      }
    }

    synchronized void handlerStarted(long now) {
      handlerNanos = now;
    }

    /** Interrupts under the lock, so an interrupt never lands on the thread's next exchange. */
    synchronized boolean interruptIfLate(long now) {
      if (finished || interrupted || thread == null) {
        return false;
      }
      boolean late =
          handlerNanos == 0
              ? now - enqueuedNanos > requestNanos
              : now - handlerNanos > responseNanos;
      if (late) {
        interrupted = true;
        thread.interrupt();
      }
      return late;
    }
  }
}

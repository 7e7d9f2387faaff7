package io.github.synapsebgu.exporter.poll;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs one poller's tasks one after another, in order, on the shared workers: polls of one
 * homeserver never overlap, while other homeservers' polls run beside them.
 */
final class SerialRunner {
  private final Executor workers;
  private final Queue<Runnable> queue = new ArrayDeque<>(); // guarded by this
  private Thread running; // guarded by this; null while no task runs nor is about to
  private boolean draining; // guarded by this
  private boolean closed; // guarded by this

  SerialRunner(Executor workers) {
    this.workers = workers;
  }

  /**
   * @throws RejectedExecutionException once closed, or when the workers are shut down
   */
  synchronized void execute(Runnable task) {
    if (closed) {
      throw new RejectedExecutionException("poller closed");
    }
    queue.add(task);
    if (!draining) {
      draining = true;
      try {
        workers.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining = false;
        queue.remove(task);
        throw e;
      }
    }
  }

  private void drain() {
    boolean ended = false;
    try {
      drainQueue();
      ended = true;
    } finally {
      if (!ended) {
        // A task threw an Error: this worker's drain ends here, so hand the rest to another one,
        // or the tasks queued behind it (every later poll of this homeserver) would wait forever.
        restartDrain();
      }
    }
  }

  private synchronized void restartDrain() {
    running = null;
    draining = false;
    notifyAll();
    if (!closed && !queue.isEmpty()) {
      draining = true;
      try {
        workers.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining = false;
      }
    }
  }

  private void drainQueue() {
    while (true) {
      Runnable task;
      synchronized (this) {
        task = closed ? null : queue.poll();
        if (task == null) {
          draining = false;
          running = null;
          notifyAll();
          return;
        }
        running = Thread.currentThread();
      }
      try {
        task.run();
      } finally {
        synchronized (this) {
          running = null;
        }
        // A poll that was interrupted by close() must not leave the flag set on a pooled thread.
        Thread.interrupted();
      }
    }
  }

  /**
   * Takes no more tasks, drops the queued ones, interrupts the one running and waits a little for
   * it to end.
   */
  synchronized void close(long waitMillis) {
    closed = true;
    for (Runnable task : queue) {
      if (task instanceof Future<?> f) {
        f.cancel(false); // so that whoever waits on it (pollNow) is told at once
      }
    }
    queue.clear();
    if (running != null) {
      running.interrupt();
    }
    long deadline = System.currentTimeMillis() + waitMillis;
    while (draining) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

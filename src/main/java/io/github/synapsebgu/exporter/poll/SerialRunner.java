package io.github.synapsebgu.exporter.poll;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs one poller's tasks one after another, in order, on shared workers: polls of one homeserver
 * never overlap, while other homeservers' polls run beside them. A task may end later than it
 * returns ({@link #executeAsync}: a request in flight): the next one starts only once it has ended,
 * and no thread is held meanwhile.
 */
final class SerialRunner {
  /** A task whose end is the completion of the stage it returns. */
  @FunctionalInterface
  interface AsyncTask {
    CompletionStage<?> start();
  }

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Executor workers;
  private final Queue<Queued> queue = new ArrayDeque<>(); // guarded by this
  private Thread running; // guarded by this; null while no task runs nor is about to
  private CompletableFuture<?> waiting; // guarded by this; the stage of a task still in flight
  private boolean draining; // guarded by this; true from a hand-off to the workers to the last end
  private boolean closed; // guarded by this

  /** A queued task and what to cancel if it is dropped (whoever waits on it is told at once). */
  private record Queued(AsyncTask task, Future<?> handle) {}

  SerialRunner(Executor workers) {
    this.workers = workers;
  }

  /**
   * @throws RejectedExecutionException once closed, or when the workers are shut down
   */
  void execute(Runnable task) {
    enqueue(
        () -> {
          task.run();
          return DONE;
        },
        task instanceof Future<?> f ? f : null);
  }

  /**
   * Queues {@code task}; {@code handle}, when given, is cancelled if the task is dropped unrun.
   *
   * @throws RejectedExecutionException once closed, or when the workers are shut down
   */
  void executeAsync(AsyncTask task, Future<?> handle) {
    enqueue(task, handle);
  }

  private synchronized void enqueue(AsyncTask task, Future<?> handle) {
    if (closed) {
      throw new RejectedExecutionException("poller closed");
    }
    Queued queued = new Queued(task, handle);
    queue.add(queued);
    if (!draining) {
      draining = true;
      try {
        workers.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining = false;
        queue.remove(queued);
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
    waiting = null;
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
      Queued next;
      synchronized (this) {
        next = closed ? null : queue.poll();
        if (next == null) {
          draining = false;
          running = null;
          notifyAll();
          return;
        }
        running = Thread.currentThread();
      }
      CompletableFuture<?> stage;
      try {
        stage = next.task().start().toCompletableFuture();
      } finally {
        synchronized (this) {
          running = null;
        }
        // A poll that was interrupted by close() must not leave the flag set on a pooled thread.
        Thread.interrupted();
      }
      if (!stage.isDone()) {
        synchronized (this) {
          waiting = stage;
          if (closed) {
            stage.cancel(true);
          }
        }
        // Still draining, on no thread: the end of the task hands the rest back to the workers.
        stage.whenComplete((v, e) -> restartDrain());
        return;
      }
    }
  }

  /**
   * Takes no more tasks, drops the queued ones, interrupts (or cancels) the one running and waits a
   * little for it to end.
   */
  synchronized void close(long waitMillis) {
    closed = true;
    for (Queued q : queue) {
      if (q.handle() != null) {
        q.handle().cancel(false); // so that whoever waits on it (pollNow) is told at once
      }
    }
    queue.clear();
    if (running != null) {
      running.interrupt();
    }
    if (waiting != null) {
      waiting.cancel(true);
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

package io.github.synapsebgu.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tasks that end later than they return (a request in flight) on one worker thread. */
class SerialRunnerAsyncTest {
  private final ExecutorService oneWorker = Executors.newSingleThreadExecutor();

  @AfterEach
  void tearDown() {
    oneWorker.shutdownNow();
  }

  @Test
  void the_next_task_starts_only_when_the_previous_ones_stage_completes() throws Exception {
    SerialRunner runner = new SerialRunner(oneWorker);
    CompletableFuture<Void> inFlight = new CompletableFuture<>();
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch second = new CountDownLatch(1);
    runner.executeAsync(
        () -> {
          events.add("first started");
          return inFlight;
        },
        null);
    runner.execute(
        () -> {
          events.add("second ran");
          second.countDown();
        });
    // The one worker is free meanwhile: another runner's task runs on it.
    CountDownLatch other = new CountDownLatch(1);
    new SerialRunner(oneWorker).execute(other::countDown);
    assertThat(other.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(events).containsExactly("first started");

    inFlight.complete(null);
    assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(events).containsExactly("first started", "second ran");
  }

  @Test
  void close_cancels_the_stage_in_flight_and_drops_what_is_queued() throws Exception {
    SerialRunner runner = new SerialRunner(oneWorker);
    CompletableFuture<Void> inFlight = new CompletableFuture<>();
    CountDownLatch started = new CountDownLatch(1);
    runner.executeAsync(
        () -> {
          started.countDown();
          return inFlight;
        },
        null);
    CompletableFuture<Void> queued = new CompletableFuture<>();
    runner.executeAsync(() -> queued, queued);
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    runner.close(1_000);
    assertThat(inFlight).isCancelled();
    assertThat(queued).isCancelled();
  }
}

package io.github.synapsebgu.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialRunnerTest {
  private final ExecutorService workers = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    workers.shutdownNow();
  }

  @Test
  void a_task_that_throws_an_error_does_not_stop_the_tasks_after_it() throws Exception {
    SerialRunner runner = new SerialRunner(workers);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch after = new CountDownLatch(2);
    runner.execute(
        () -> {
          try {
            release.await(5, TimeUnit.SECONDS); // so the next two queue behind it
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new StackOverflowError("a bug");
        });
    runner.execute(after::countDown);
    runner.execute(after::countDown);
    release.countDown();

    assertThat(after.await(5, TimeUnit.SECONDS))
        .as("tasks queued behind the failed one ran")
        .isTrue();
    CountDownLatch later = new CountDownLatch(1);
    runner.execute(later::countDown);
    assertThat(later.await(5, TimeUnit.SECONDS)).as("and later ones too").isTrue();
  }

  @Test
  void tasks_run_one_at_a_time_in_order() throws Exception {
    SerialRunner runner = new SerialRunner(workers);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    StringBuffer order = new StringBuffer();
    CountDownLatch done = new CountDownLatch(20);
    for (int i = 0; i < 20; i++) {
      int n = i;
      runner.execute(
          () -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            order.append(n).append(' ');
            inside.decrementAndGet();
            done.countDown();
          });
    }
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(most).hasValue(1);
    assertThat(order.toString()).isEqualTo("0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 ");
  }
}

package io.github.synapsebgu.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExchangeExecutorTest {
  private ExchangeExecutor pool;

  @AfterEach
  void shutdown() {
    pool.shutdown();
  }

  private ExchangeExecutor pool(int threads, int queue) {
    pool =
        new ExchangeExecutor(
            "test", threads, queue, Duration.ofSeconds(30), Duration.ofSeconds(30));
    return pool;
  }

  /** An exchange that holds its worker: counts {@code started}, waits for {@code release}. */
  private static Runnable slowClient(
      CountDownLatch started, CountDownLatch release, CountDownLatch finished) {
    return () -> {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finished.countDown();
    };
  }

  @Test
  void oneClientAtATimeIsServedByOneWorker() throws Exception {
    pool(32, 16);
    for (int i = 0; i < 50; i++) {
      CountDownLatch done = new CountDownLatch(1);
      pool.execute(done::countDown);
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      // The worker goes back to waiting for work right after the task; give it that moment.
      Thread.sleep(2);
    }
    // A pool with 32 core threads would have started one for each of the first 32 exchanges.
    assertThat(pool.largestPoolSize()).isLessThanOrEqualTo(2);
  }

  @Test
  void aBurstOfSlowClientsAfterAQuietSpellGetsAWorkerEach() throws Exception {
    pool(32, 16);
    CountDownLatch first = new CountDownLatch(1);
    pool.execute(first::countDown);
    assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(50); // the worker is idle again
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(4);
    for (int i = 0; i < 4; i++) {
      // Back to back, as the server's dispatcher hands over connections that became readable.
      pool.execute(slowClient(started, release, new CountDownLatch(1)));
    }
    // None waits behind another slow client while the pool has room.
    assertThat(started.await(2, TimeUnit.SECONDS)).isTrue();
    release.countDown();
  }

  @Test
  void busyWorkersGetCompanyUpToTheMaximumThenExchangesQueueThenAreRefused() throws Exception {
    pool(4, 2);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(4);
    CountDownLatch finished = new CountDownLatch(6);
    Runnable slow = slowClient(started, release, finished);
    for (int i = 0; i < 4; i++) {
      pool.execute(slow);
    }
    // Four slow clients hold four workers at once: none waits behind another.
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    pool.execute(finished::countDown);
    pool.execute(finished::countDown);
    assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    assertThat(pool.rejected()).isEqualTo(1);
    assertThat(finished.getCount()).isEqualTo(6);

    release.countDown();
    assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.largestPoolSize()).isEqualTo(4);
  }
}

package io.github.synapsebgu.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.source.metrics.MetricsSourceException;
import io.github.synapsebgu.exporter.source.metrics.MetricsSourceException.Reason;
import io.github.synapsebgu.exporter.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The poll loop of an optional source, with the source as a lambda. */
class SourcePollerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final PollScheduler scheduler = new PollScheduler();
  private final Deque<Object> answers = new ArrayDeque<>();

  @AfterEach
  void close() {
    scheduler.close();
  }

  private SourcePoller<String> poller(SourcePoller.Read<String> read, Duration interval) {
    return new SourcePoller<>(
        MetricsSourceException.SOURCE, List.of(Reason.values()), read, clock, interval, scheduler);
  }

  private SourcePoller<String> scripted() {
    return poller(
        () -> {
          Object next = answers.remove();
          if (next instanceof MetricsSourceException e) {
            throw e;
          }
          return (String) next;
        },
        Duration.ofHours(1));
  }

  @Test
  void every_reason_is_counted_from_zero_before_the_first_poll() {
    SourceSnapshot<String> s = scripted().snapshot();
    assertThat(s.firstPollDone()).isFalse();
    assertThat(s.up()).isFalse();
    assertThat(s.errorCounts()).hasSize(Reason.values().length + 1).containsValue(0L);
    assertThat(s.errorCounts()).containsKey(SourcePoller.UNEXPECTED);
    assertThat(s.freshData(clock.millis(), 60_000)).isEmpty();
  }

  @Test
  void a_failed_poll_keeps_the_last_good_data_until_stale_after_and_counts_its_reason() {
    SourcePoller<String> poller = scripted();
    answers.add("first");
    answers.add(new MetricsSourceException(Reason.TIMEOUT, "the endpoint did not answer"));
    poller.pollOnce();
    clock.advance(Duration.ofSeconds(30));
    SourceSnapshot<String> failed = poller.pollOnce();

    assertThat(failed.up()).isFalse();
    assertThat(failed.errorCounts().get(Reason.TIMEOUT)).isEqualTo(1L);
    assertThat(failed.lastFailure())
        .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(Reason.TIMEOUT));
    assertThat(failed.freshData(clock.millis(), 60_000)).hasValue("first");
    clock.advance(Duration.ofSeconds(31)); // 61 s since the last success
    assertThat(failed.freshData(clock.millis(), 60_000)).isEmpty();
  }

  @Test
  void a_read_that_throws_what_its_source_does_not_classify_is_a_failure_not_fresh_data() {
    SourcePoller<String> poller =
        poller(
            () -> {
              Object next = answers.remove();
              if (next instanceof Error e) {
                throw e;
              }
              return (String) next;
            },
            Duration.ofHours(1));
    answers.add("first");
    answers.add(new UnsatisfiedLinkError("no native library"));
    poller.pollOnce();
    SourceSnapshot<String> failed = poller.pollOnce();

    assertThat(failed.up()).isFalse();
    assertThat(failed.errorCounts().get(SourcePoller.UNEXPECTED)).isEqualTo(1L);
    clock.advance(Duration.ofSeconds(61));
    assertThat(failed.freshData(clock.millis(), 60_000)).isEmpty();
  }

  @Test
  void a_success_after_failures_is_up_again_and_keeps_the_counts() {
    SourcePoller<String> poller = scripted();
    answers.add(new MetricsSourceException(Reason.CONNECT, "refused"));
    answers.add("back");
    poller.pollOnce();
    SourceSnapshot<String> s = poller.pollOnce();
    assertThat(s.up()).isTrue();
    assertThat(s.data()).hasValue("back");
    assertThat(s.lastFailure()).isEmpty();
    assertThat(s.errorCounts().get(Reason.CONNECT)).isEqualTo(1L);
  }

  @Test
  void a_slow_read_is_never_overlapped_by_the_next() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    CountDownLatch reads = new CountDownLatch(4);
    SourcePoller<String> poller =
        poller(
            () -> {
              maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
              try {
                Thread.sleep(80);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                running.decrementAndGet();
                reads.countDown();
              }
              return "ok";
            },
            Duration.ofMillis(10));
    try (poller) {
      poller.start();
      assertThat(reads.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(maxRunning.get()).isEqualTo(1);
  }
}

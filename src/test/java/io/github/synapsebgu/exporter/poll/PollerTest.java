package io.github.synapsebgu.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.synapsebgu.exporter.synapse.CurrentUpdate;
import io.github.synapsebgu.exporter.synapse.FailureReason;
import io.github.synapsebgu.exporter.synapse.StatusResponse;
import io.github.synapsebgu.exporter.synapse.SynapseException;
import io.github.synapsebgu.exporter.testing.LogCapture;
import io.github.synapsebgu.exporter.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The poll loop against plain lambdas as the status source: no HTTP. */
class PollerTest {
  private static final StatusResponse NOTHING = new StatusResponse(true, Map.of());

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final PollScheduler scheduler = new PollScheduler();
  private LogCapture logs;

  @BeforeEach
  void setUp() {
    logs = new LogCapture();
  }

  @AfterEach
  void tearDown() {
    scheduler.close();
    logs.close();
  }

  private static StatusResponse running(long items) {
    return new StatusResponse(
        true,
        Map.of(
            "master",
            new CurrentUpdate(
                "populate_stats_process_rooms", items, 19.0, OptionalDouble.of(0.6))));
  }

  private static SynapseException failure(FailureReason reason) {
    return new SynapseException(reason, "test: " + reason.label());
  }

  /** A source that answers what {@code answer} holds: a response, or an exception to throw. */
  private static StatusTracker.StatusSource answering(AtomicReference<Object> answer) {
    return () -> {
      Object a = answer.get();
      if (a instanceof SynapseException e) {
        throw e;
      }
      return (StatusResponse) a;
    };
  }

  private Poller poller(StatusTracker.StatusSource source, Duration interval) {
    return poller(source, interval, clock);
  }

  private Poller poller(StatusTracker.StatusSource source, Duration interval, Clock clock) {
    return new Poller(new StatusTracker(source), clock, interval, scheduler);
  }

  private long lines(String text) {
    return logs.lines().stream().filter(l -> l.contains(text)).count();
  }

  @Test
  void logs_a_persisting_failure_once_then_at_most_every_five_minutes_and_once_on_recovery() {
    AtomicReference<Object> answer = new AtomicReference<>(failure(FailureReason.SERVER_ERROR));
    try (Poller poller = poller(answering(answer), Duration.ofSeconds(15))) {
      for (int i = 0; i < 10; i++) { // 10 polls over 2.5 minutes
        poller.pollOnce();
        clock.advance(Duration.ofSeconds(15));
      }
      assertThat(lines("msg=\"Polling Synapse failed\"")).isEqualTo(1);
      assertThat(lines("Polling Synapse still failing")).isZero();
      clock.advance(Duration.ofMinutes(3));
      poller.pollOnce();
      assertThat(lines("Polling Synapse still failing")).isEqualTo(1);
      assertThat(logs.all()).contains("failed_polls=11").contains("reason=server_error");

      answer.set(failure(FailureReason.FORBIDDEN)); // a different reason is news: logged at once
      poller.pollOnce();
      assertThat(lines("msg=\"Polling Synapse failed\"")).isEqualTo(2);

      answer.set(NOTHING);
      poller.pollOnce();
      poller.pollOnce();
      assertThat(lines("Polling Synapse recovered")).isEqualTo(1);
    }
  }

  @Test
  void logs_what_synapse_answered_with_the_failure() {
    AtomicReference<Object> answer =
        new AtomicReference<>(
            new SynapseException(
                FailureReason.FORBIDDEN, "HTTP 403", 403, "M_FORBIDDEN", "You are not admin"));
    try (Poller poller = poller(answering(answer), Duration.ofHours(1))) {
      poller.pollOnce();
    }
    assertThat(logs.all()).contains("reason=forbidden status=403 errcode=M_FORBIDDEN");
  }

  @Test
  void polls_once_at_startup_then_every_interval_without_overlap() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    StatusTracker.StatusSource slow =
        () -> {
          calls.incrementAndGet();
          mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            Thread.sleep(300);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            running.decrementAndGet();
          }
          return NOTHING;
        };
    Poller poller = poller(slow, Duration.ofMillis(100));
    try (poller) {
      poller.start();
      poller.pollNow(); // an extra poll queues behind the running one, never beside it
      Thread.sleep(1_050);
    }
    // Each poll takes 300 ms and the interval is 100 ms: without overlap at most 4 fit in 1.05 s.
    assertThat(calls.get()).isBetween(2, 4);
    assertThat(mostAtOnce).hasValue(1);
    assertThat(poller.snapshot().pollsTotal()).isEqualTo(calls.get());
  }

  @Test
  void a_hung_homeserver_does_not_delay_the_polls_of_another_on_the_same_scheduler()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger hungCalls = new AtomicInteger();
    StatusTracker.StatusSource hangs =
        () -> {
          hungCalls.incrementAndGet();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return NOTHING;
        };
    AtomicInteger healthyCalls = new AtomicInteger();
    StatusTracker.StatusSource healthy =
        () -> {
          healthyCalls.incrementAndGet();
          return NOTHING;
        };
    try (Poller hung = poller(hangs, Duration.ofMillis(100), Clock.systemUTC());
        Poller polled = poller(healthy, Duration.ofMillis(100), Clock.systemUTC())) {
      hung.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (hungCalls.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(hungCalls).hasValue(1); // the first one now hangs
      polled.start();
      Thread.sleep(1_000);
      // Every 100 ms for a second, with room for a loaded machine: far more than one.
      assertThat(healthyCalls.get()).isGreaterThanOrEqualTo(5);
      assertThat(polled.snapshot().up()).isTrue();
      assertThat(hung.snapshot().firstPollDone()).isFalse();
      assertThat(hungCalls).hasValue(1); // and its own polls still never overlap
      release.countDown();
    }
  }

  @Test
  void counts_polls_as_successes_plus_failures_and_keeps_the_last_good_data() throws Exception {
    AtomicReference<Object> answer = new AtomicReference<>(running(2));
    try (Poller poller = poller(answering(answer), Duration.ofHours(1))) {
      poller.pollNow().get(5, TimeUnit.SECONDS);
      answer.set(failure(FailureReason.UNAUTHORIZED));
      poller.pollNow().get(5, TimeUnit.SECONDS);
      poller.pollNow().get(5, TimeUnit.SECONDS);
      PollSnapshot s = poller.snapshot();
      assertThat(s.pollsTotal()).isEqualTo(3);
      assertThat(s.errorCounts().get(FailureReason.UNAUTHORIZED)).isEqualTo(2);
      assertThat(s.errorCounts()).hasSize(FailureReason.values().length);
      assertThat(s.lastFailure())
          .hasValueSatisfying(
              f -> {
                assertThat(f.reason()).isEqualTo(FailureReason.UNAUTHORIZED);
                assertThat(f.source()).isEqualTo("admin_api");
              });
      assertThat(s.updates()).hasSize(1); // last good data kept
    }
  }

  @Test
  void counts_every_reason_from_zero_before_the_first_poll() {
    try (Poller poller = poller(answering(new AtomicReference<>(NOTHING)), Duration.ofHours(1))) {
      assertThat(poller.snapshot().errorCounts())
          .containsOnlyKeys(List.of(FailureReason.values()))
          .allSatisfy((reason, count) -> assertThat(count).isZero());
    }
  }

  @Test
  void restarts_the_progress_clock_when_synapse_restarted_and_its_count_went_down() {
    AtomicReference<Object> answer = new AtomicReference<>(running(12));
    try (Poller poller = poller(answering(answer), Duration.ofHours(1))) {
      poller.pollOnce();
      long first = poller.snapshot().updates().get(0).lastProgressEpochMillis();
      clock.advance(Duration.ofMinutes(1));
      answer.set(running(2));
      poller.pollOnce();
      assertThat(poller.snapshot().updates().get(0).lastProgressEpochMillis())
          .isEqualTo(first + 60_000);
    }
  }

  @Test
  void refuses_a_poll_once_closed() {
    Poller poller = poller(answering(new AtomicReference<>(NOTHING)), Duration.ofHours(1));
    poller.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(poller::pollNow)
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
  }
}

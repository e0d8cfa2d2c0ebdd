package atg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atg.examples.RetryExecutor.Backoff;
import atg.examples.RetryExecutor.RetryException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

class RetryExecutorTest {
    /** Time that moves only when the executor sleeps. */
    private long now = 1_000;

    private final List<Long> slept = new ArrayList<>();

    private RetryExecutor.Builder builder() {
        return RetryExecutor.builder()
                .clock(
                        () -> now,
                        millis -> {
                            slept.add(millis);
                            now += millis;
                        });
    }

    /** A task that fails the first {@code failures} times, then returns "done". */
    private static Callable<String> flaky(int failures, List<Integer> calls) {
        return () -> {
            calls.add(calls.size() + 1);
            if (calls.size() <= failures) {
                throw new IOException("failure " + calls.size());
            }
            return "done";
        };
    }

    @ParameterizedTest
    @CsvSource({"1, 100", "2, 300", "3, 900", "4, 1000", "40, 1000"})
    void exponentialBackoffGrowsUpToItsCap(int retry, long delay) {
        assertEquals(delay, Backoff.exponential(100, 3.0, 1000).delayMillis(retry));
    }

    @Test
    void fixedBackoffAlwaysWaitsTheSame() {
        assertEquals(250, Backoff.fixed(250).delayMillis(7));
    }

    @Test
    void backoffsRejectBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.fixed(-1));
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(-1, 2.0, 10));
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(100, 2.0, 10));
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(1, 0.5, 10));
    }

    @Test
    void returnsTheFirstSuccessWithoutSleeping() throws Exception {
        assertEquals(42, builder().build().call(() -> 42));
        assertEquals(List.of(), slept);
    }

    @Test
    void retriesWithGrowingDelaysUntilTheTaskSucceeds() throws Exception {
        List<Integer> calls = new ArrayList<>();
        RetryExecutor executor = builder().maxAttempts(4).build();
        assertEquals("done", executor.call(flaky(3, calls)));
        assertEquals(List.of(1, 2, 3, 4), calls);
        assertEquals(List.of(100L, 200L, 400L), slept);
    }

    @Test
    void givesUpAfterTheLastAttemptWithEveryFailure() {
        RetryExecutor executor = builder().maxAttempts(3).backoff(Backoff.fixed(5)).build();
        RetryException error =
                assertThrows(
                        RetryException.class, () -> executor.call(flaky(10, new ArrayList<>())));
        assertEquals("gave up after 3 attempts", error.getMessage());
        assertEquals(3, error.attempts());
        assertEquals("failure 3", error.getCause().getMessage());
        assertEquals(2, error.getSuppressed().length);
        assertEquals("failure 1", error.getSuppressed()[0].getMessage());
        assertEquals(List.of(5L, 5L), slept);
    }

    @Test
    void exceptionsNotToRetryAreRethrownAsTheyAre() {
        IllegalStateException fatal = new IllegalStateException("bad input");
        RetryExecutor executor = builder().retryOn(e -> e instanceof IOException).build();
        Exception thrown =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                executor.call(
                                        () -> {
                                            throw fatal;
                                        }));
        assertSame(fatal, thrown);
        assertEquals(List.of(), slept);
    }

    @Test
    void stopsBeforeARetryThatWouldPassTheDeadline() {
        List<Integer> calls = new ArrayList<>();
        RetryExecutor executor = builder().maxAttempts(10).deadlineMillis(500).build();
        RetryException error =
                assertThrows(RetryException.class, () -> executor.call(flaky(10, calls)));
        assertEquals("gave up after 3 attempts: the deadline would pass", error.getMessage());
        assertEquals(List.of(100L, 200L), slept);
        assertEquals(3, calls.size());
    }

    @Test
    void anInterruptedSleepStopsTheRetries() {
        RetryExecutor executor =
                RetryExecutor.builder()
                        .clock(
                                () -> 0L,
                                millis -> {
                                    throw new InterruptedException("stop");
                                })
                        .build();
        try {
            RetryException error =
                    assertThrows(
                            RetryException.class, () -> executor.call(flaky(5, new ArrayList<>())));
            assertEquals("interrupted after 1 attempts", error.getMessage());
            assertEquals(1, error.attempts());
            assertEquals("failure 1", error.getCause().getMessage());
            assertEquals("stop", error.getSuppressed()[0].getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted(); // clear the flag for the next tests
        }
    }

    @Test
    void theDefaultClockAndSleepWorkWithZeroDelays() throws Exception {
        RetryExecutor executor = RetryExecutor.builder().backoff(Backoff.fixed(0)).build();
        assertEquals("done", executor.call(flaky(2, new ArrayList<>())));
    }

    @Test
    void builderRejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> RetryExecutor.builder().maxAttempts(0));
        assertThrows(
                IllegalArgumentException.class, () -> RetryExecutor.builder().deadlineMillis(-1));
    }
}

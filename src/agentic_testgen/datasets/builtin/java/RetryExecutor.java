package atg.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Run a task until it succeeds, waiting between attempts as a backoff policy says. The clock and
 * the sleep are injected, so schedules are checked without waiting.
 */
public final class RetryExecutor {
    /** How long to wait before retry number {@code retry} (1 for the first retry). */
    public interface Backoff {
        long delayMillis(int retry);

        static Backoff fixed(long millis) {
            return new Fixed(millis);
        }

        static Backoff exponential(long initialMillis, double factor, long maxMillis) {
            return new Exponential(initialMillis, factor, maxMillis);
        }
    }

    public record Fixed(long millis) implements Backoff {
        public Fixed {
            if (millis < 0) {
                throw new IllegalArgumentException("delay must not be negative");
            }
        }

        @Override
        public long delayMillis(int retry) {
            return millis;
        }
    }

    public record Exponential(long initialMillis, double factor, long maxMillis)
            implements Backoff {
        public Exponential {
            if (initialMillis < 0 || maxMillis < initialMillis) {
                throw new IllegalArgumentException("need 0 <= initialMillis <= maxMillis");
            }
            if (factor < 1.0) {
                throw new IllegalArgumentException("factor must be at least 1");
            }
        }

        @Override
        public long delayMillis(int retry) {
            double delay = initialMillis * Math.pow(factor, retry - 1);
            return delay >= maxMillis ? maxMillis : (long) delay;
        }
    }

    /** Waits; a test passes one that only records. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** The task failed on every attempt, or time ran out; the failures are suppressed in it. */
    public static final class RetryException extends RuntimeException {
        private final int attempts;

        RetryException(String message, List<Exception> failures) {
            super(message, failures.get(failures.size() - 1));
            this.attempts = failures.size();
            failures.subList(0, failures.size() - 1).forEach(this::addSuppressed);
        }

        public int attempts() {
            return attempts;
        }
    }

    private final int maxAttempts;
    private final Backoff backoff;
    private final Predicate<Exception> retryOn;
    private final Sleeper sleeper;
    private final LongSupplier clockMillis;
    private final long deadlineMillis;

    private RetryExecutor(Builder builder) {
        this.maxAttempts = builder.maxAttempts;
        this.backoff = builder.backoff;
        this.retryOn = builder.retryOn;
        this.sleeper = builder.sleeper;
        this.clockMillis = builder.clockMillis;
        this.deadlineMillis = builder.deadlineMillis;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The task's result. An exception that retryOn rejects is rethrown at once; when attempts or
     * time run out a RetryException is thrown with the last failure as its cause.
     */
    public <T> T call(Callable<T> task) throws Exception {
        long started = clockMillis.getAsLong();
        List<Exception> failures = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            try {
                return task.call();
            } catch (Exception e) {
                if (!retryOn.test(e)) {
                    throw e;
                }
                failures.add(e);
            }
            if (attempt == maxAttempts) {
                throw new RetryException("gave up after " + attempt + " attempts", failures);
            }
            long delay = backoff.delayMillis(attempt);
            if (clockMillis.getAsLong() + delay - started > deadlineMillis) {
                throw new RetryException(
                        "gave up after " + attempt + " attempts: the deadline would pass",
                        failures);
            }
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                RetryException stopped =
                        new RetryException("interrupted after " + attempt + " attempts", failures);
                stopped.addSuppressed(e);
                throw stopped;
            }
        }
    }

    public static final class Builder {
        private int maxAttempts = 3;
        private Backoff backoff = Backoff.exponential(100, 2.0, 10_000);
        private Predicate<Exception> retryOn = e -> true;
        private Sleeper sleeper = Thread::sleep;
        private LongSupplier clockMillis = System::currentTimeMillis;
        private long deadlineMillis = Long.MAX_VALUE / 2;

        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        public Builder retryOn(Predicate<Exception> retryOn) {
            this.retryOn = retryOn;
            return this;
        }

        public Builder clock(LongSupplier clockMillis, Sleeper sleeper) {
            this.clockMillis = clockMillis;
            this.sleeper = sleeper;
            return this;
        }

        /** No retry starts when it would begin later than this after the first attempt. */
        public Builder deadlineMillis(long deadlineMillis) {
            if (deadlineMillis < 0) {
                throw new IllegalArgumentException("deadline must not be negative");
            }
            this.deadlineMillis = deadlineMillis;
            return this;
        }

        public RetryExecutor build() {
            return new RetryExecutor(this);
        }
    }
}

'use strict';
// Retry an async task with exponential backoff. The clock, the sleep and the jitter are
// injectable, so a schedule can be checked without waiting or randomness.

class RetryError extends Error {
  constructor(reason, errors) {
    const last = errors[errors.length - 1];
    super(`gave up after ${errors.length} attempt(s) (${reason}): ${last.message}`, { cause: last });
    this.name = 'RetryError';
    this.reason = reason; // 'retries' or 'deadline'
    this.attempts = errors.length;
    this.errors = errors;
  }
}

function checkNonNegative(name, value) {
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new RangeError(`${name} must be a non-negative number`);
  }
}

// The delay before retry n (1-based): initialDelay * factor^(n-1), at most maxDelay.
function backoffDelay(retry, { initialDelay = 100, factor = 2, maxDelay = 10_000 } = {}) {
  if (!Number.isInteger(retry) || retry < 1) {
    throw new RangeError('retry must be a positive integer');
  }
  return Math.min(maxDelay, initialDelay * factor ** (retry - 1));
}

const realSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class RetryScheduler {
  constructor({
    retries = 3,
    initialDelay = 100,
    factor = 2,
    maxDelay = 10_000,
    deadline = null, // ms from the first attempt after which no retry starts
    shouldRetry = () => true,
    jitter = (delay) => delay,
    onRetry = null,
    sleep = realSleep,
    now = Date.now,
  } = {}) {
    if (!Number.isInteger(retries) || retries < 0) {
      throw new RangeError('retries must be a non-negative integer');
    }
    checkNonNegative('initialDelay', initialDelay);
    checkNonNegative('maxDelay', maxDelay);
    if (typeof factor !== 'number' || factor < 1) {
      throw new RangeError('factor must be at least 1');
    }
    if (deadline !== null) checkNonNegative('deadline', deadline);
    Object.assign(this, { retries, deadline, shouldRetry, jitter, onRetry, sleep, now });
    this.backoff = { initialDelay, factor, maxDelay };
  }

  // The delay before retry n, after jitter, and at least what the error asked for with a
  // `retryAfter` (ms) property, as a server's Retry-After would.
  delayFor(retry, error) {
    const delay = Math.max(0, Math.round(this.jitter(backoffDelay(retry, this.backoff), retry)));
    const asked = error && typeof error.retryAfter === 'number' ? error.retryAfter : 0;
    return Math.max(delay, asked);
  }

  async run(task) {
    const started = this.now();
    const errors = [];
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await task(attempt);
      } catch (error) {
        errors.push(error);
        if (!this.shouldRetry(error, attempt)) {
          throw error;
        }
        if (attempt > this.retries) {
          throw new RetryError('retries', errors);
        }
        const delay = this.delayFor(attempt, error);
        if (this.deadline !== null && this.now() + delay - started > this.deadline) {
          throw new RetryError('deadline', errors);
        }
        if (this.onRetry) this.onRetry({ attempt, delay, error });
        await this.sleep(delay);
      }
    }
  }
}

module.exports = { RetryError, RetryScheduler, backoffDelay };

const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { RetryError, RetryScheduler, backoffDelay } = require('./retry');

// A fake clock: sleeping moves time forward at once and is recorded.
function fakeTime(start = 1000) {
  const time = { now: start, slept: [] };
  time.clock = () => time.now;
  time.sleep = async (ms) => {
    time.slept.push(ms);
    time.now += ms;
  };
  return time;
}

// A task that fails `failures` times with the given errors, then returns 'done'.
function flaky(failures, makeError = (n) => new Error(`failure ${n}`)) {
  const calls = [];
  const task = async (attempt) => {
    calls.push(attempt);
    if (calls.length <= failures) throw makeError(calls.length);
    return 'done';
  };
  return { task, calls };
}

describe('backoffDelay', () => {
  test('grows exponentially up to the cap', () => {
    const options = { initialDelay: 100, factor: 3, maxDelay: 1000 };
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(n, options)), [100, 300, 900, 1000]);
    assert.equal(backoffDelay(2), 200);
  });

  test('rejects retry numbers below one', () => {
    assert.throws(() => backoffDelay(0), RangeError);
    assert.throws(() => backoffDelay(1.5), RangeError);
  });
});

describe('RetryScheduler.run', () => {
  test('returns the first success without sleeping', async () => {
    const time = fakeTime();
    const scheduler = new RetryScheduler({ sleep: time.sleep, now: time.clock });
    assert.equal(await scheduler.run(async () => 42), 42);
    assert.deepEqual(time.slept, []);
  });

  test('retries with growing delays until the task succeeds', async () => {
    const time = fakeTime();
    const { task, calls } = flaky(3);
    const scheduler = new RetryScheduler({ retries: 3, sleep: time.sleep, now: time.clock });
    assert.equal(await scheduler.run(task), 'done');
    assert.deepEqual(calls, [1, 2, 3, 4]);
    assert.deepEqual(time.slept, [100, 200, 400]);
  });

  test('gives up after the last retry with every error', async () => {
    const time = fakeTime();
    const { task } = flaky(10);
    const scheduler = new RetryScheduler({ retries: 2, sleep: time.sleep, now: time.clock });
    await assert.rejects(scheduler.run(task), (error) => {
      assert.ok(error instanceof RetryError);
      assert.equal(error.reason, 'retries');
      assert.equal(error.attempts, 3);
      assert.deepEqual(error.errors.map((e) => e.message), ['failure 1', 'failure 2', 'failure 3']);
      assert.equal(error.cause, error.errors[2]);
      assert.equal(error.message, 'gave up after 3 attempt(s) (retries): failure 3');
      return true;
    });
  });

  test('errors that should not be retried are thrown as they are', async () => {
    const time = fakeTime();
    const fatal = new TypeError('bad input');
    const scheduler = new RetryScheduler({
      sleep: time.sleep,
      now: time.clock,
      shouldRetry: (error) => !(error instanceof TypeError),
    });
    await assert.rejects(scheduler.run(async () => {
      throw fatal;
    }), (error) => error === fatal);
    assert.deepEqual(time.slept, []);
  });

  test('stops before a retry that would pass the deadline', async () => {
    const time = fakeTime();
    const { task, calls } = flaky(10);
    const scheduler = new RetryScheduler({ retries: 10, deadline: 500, sleep: time.sleep, now: time.clock });
    await assert.rejects(scheduler.run(task), { name: 'RetryError', reason: 'deadline', attempts: 3 });
    assert.deepEqual(time.slept, [100, 200]);
    assert.equal(calls.length, 3);
  });

  test('the jitter function shapes each delay, never below zero', async () => {
    const time = fakeTime();
    const { task } = flaky(3);
    const scheduler = new RetryScheduler({
      retries: 3,
      jitter: (delay, retry) => (retry === 2 ? -50 : delay / 2 + 0.4),
      sleep: time.sleep,
      now: time.clock,
    });
    await scheduler.run(task);
    assert.deepEqual(time.slept, [50, 0, 200]);
  });

  test('an error asking for a later retry is honoured', async () => {
    const time = fakeTime();
    const { task } = flaky(2, (n) => Object.assign(new Error('busy'), { retryAfter: n === 1 ? 750 : 10 }));
    const scheduler = new RetryScheduler({ sleep: time.sleep, now: time.clock });
    await scheduler.run(task);
    assert.deepEqual(time.slept, [750, 200]);
  });

  test('onRetry reports each retry before sleeping', async () => {
    const time = fakeTime();
    const seen = [];
    const { task } = flaky(2);
    const scheduler = new RetryScheduler({
      sleep: time.sleep,
      now: time.clock,
      onRetry: ({ attempt, delay, error }) => seen.push([attempt, delay, error.message, time.slept.length]),
    });
    await scheduler.run(task);
    assert.deepEqual(seen, [[1, 100, 'failure 1', 0], [2, 200, 'failure 2', 1]]);
  });

  test('thrown values that are not errors are retried too', async () => {
    const time = fakeTime();
    let calls = 0;
    const scheduler = new RetryScheduler({ retries: 1, sleep: time.sleep, now: time.clock });
    const result = await scheduler.run(async () => {
      calls += 1;
      if (calls === 1) throw null;
      return 'ok';
    });
    assert.equal(result, 'ok');
  });

  test('zero retries means one attempt', async () => {
    const scheduler = new RetryScheduler({ retries: 0 });
    await assert.rejects(scheduler.run(flaky(1).task), { reason: 'retries', attempts: 1 });
  });

  test('the real sleep works with zero delays', async () => {
    const { task } = flaky(2);
    const scheduler = new RetryScheduler({ initialDelay: 0 });
    assert.equal(await scheduler.run(task), 'done');
  });
});

test('rejects bad settings', () => {
  assert.throws(() => new RetryScheduler({ retries: -1 }), /retries must be/);
  assert.throws(() => new RetryScheduler({ initialDelay: -5 }), /initialDelay must be/);
  assert.throws(() => new RetryScheduler({ maxDelay: Number.NaN }), /maxDelay must be/);
  assert.throws(() => new RetryScheduler({ factor: 0.5 }), /factor must be at least 1/);
  assert.throws(() => new RetryScheduler({ factor: '2' }), RangeError);
  assert.throws(() => new RetryScheduler({ deadline: -1 }), /deadline must be/);
});

// Loaded with `node --import` into every test process, before the test file.
//
// - Root beforeEach/afterEach hooks (they run around every test, nested ones included) send
//   `start`/`end` on the result channel, so the supervisor can stop a test that hangs and name it.
// - A test stopped in an earlier attempt is not run again: it fails at once, its body unrun
//   (failing its beforeEach instead would fail its concurrent siblings too: hooks are shared).
// - Each test runs with a time limit: a timer made inside the test's own async scope throws into
//   it, which node:test records as the test's failure and aborts the test (a test that awaits
//   forever would otherwise let the event loop drain and cancel every test after it).
// - With per-test coverage, V8's precise block coverage is started before the test file loads
//   and taken (which resets its counters) as each test starts and ends: what ran in between
//   belongs to every test running then (a test and its subtests, or concurrent tests), sent for
//   the module under test only.
// - In a mutation run (see mutants.mjs) only the tests in `run_only` (judged) and `run_also` run
//   their bodies, and so do the tests that hold them and their own subtests; every other test
//   passes at once, its body unrun (its hooks still run, so names and order are the same as in
//   the measured run). A judged test whose body throws or rejects says so on the result channel
//   at once (`fail`), so the supervisor can stop the process without waiting for node:test's
//   report, which comes later.
import { afterEach, beforeEach } from 'node:test';
import { AsyncResource } from 'node:async_hooks';
import fs from 'node:fs';
import { EXCLUDED_ERROR, TIMEOUT_ERROR, send, uniqueNames } from './channel.mjs';

const config = JSON.parse(fs.readFileSync(process.env.ATG_JS_CHILD, 'utf8'));
delete process.env.ATG_JS_CHILD;
const stopped = new Map(Object.entries(config.excluded));
const limitMs = config.test_timeout_ms;
const runOnly = Array.isArray(config.run_only) ? new Set(config.run_only) : null;
const runAlso = new Set(Array.isArray(config.run_also) ? config.run_also : []);
// full names of the tests that hold a test that runs: their bodies declare it
const holders = new Set();
for (const id of [...(runOnly ?? []), ...runAlso]) {
  const parts = id.split(' > ');
  for (let end = 1; end < parts.length; end += 1) holders.add(parts.slice(0, end).join(' > '));
}
const judgedTests = new WeakSet(); // node:test's Test objects of the judged tests
const namedTests = new WeakSet(); // and of all the tests named to run

let takeWindow = null;
if (config.per_test_coverage) {
  const { startPreciseCoverage } = await import('./inspector.mjs');
  const post = startPreciseCoverage();
  takeWindow = () => {
    const script = post('Profiler.takePreciseCoverage').result.find(
      (entry) => entry.url === config.module_url,
    );
    return script ? script.functions : null;
  };
}

const nameOf = uniqueNames();
const ids = new WeakMap(); // TestContext -> node id
const closed = new WeakSet();
const timers = new WeakMap();
const open = []; // ids of the tests running now, innermost last

function sendWindow() {
  const functions = takeWindow();
  // what ran since the last mark belongs to every test running (none: loading, hooks)
  if (functions && open.length > 0) send({ type: 'window', id: open.at(-1), ids: [...open], functions });
}

function openWindow(context) {
  const id = nameOf(context.fullName);
  ids.set(context, id);
  send({ type: 'start', id });
  if (takeWindow) sendWindow();
  open.push(id);
  return id;
}

function closeWindow(context) {
  const id = ids.get(context);
  if (id === undefined || closed.has(context)) return;
  closed.add(context);
  clearTimeout(timers.get(context));
  if (takeWindow) sendWindow();
  const at = open.lastIndexOf(id);
  if (at >= 0) open.splice(at, 1);
  send({ type: 'end', id });
}

class StoppedTestError extends Error {
  constructor(reason) {
    super(`not run again: ${reason}`);
    this.name = EXCLUDED_ERROR;
  }
}

class TestTimeoutError extends Error {
  constructor() {
    super(`the test ran past its time limit of ${limitMs / 1000} s`);
    this.name = TIMEOUT_ERROR;
  }
}

beforeEach((context) => {
  openWindow(context);
});

afterEach((context) => closeWindow(context));

// node:test runs a test's function through AsyncResource#runInAsyncScope with the test's
// TestContext as `this`; hooks (hookType) and suites (SuiteContext) are left alone.
const runInAsyncScope = AsyncResource.prototype.runInAsyncScope;

function isTestBody(resource, thisArg, fn) {
  return (
    typeof fn === 'function' &&
    resource.hookType === undefined &&
    thisArg?.constructor?.name === 'TestContext' &&
    ids.has(thisArg)
  );
}

function insideNamed(test) {
  for (let parent = test.parent; parent; parent = parent.parent) {
    if (namedTests.has(parent)) return true;
  }
  return false;
}

// Whether a test's body runs in this process (always, outside mutation runs).
function runsBody(test, context, id) {
  if (runOnly === null) return true;
  if (runOnly.has(id)) judgedTests.add(test);
  if (runOnly.has(id) || runAlso.has(id)) {
    namedTests.add(test);
    return true;
  }
  return holders.has(context.fullName) || insideNamed(test);
}

function notJudged(...callArgs) {
  const done = callArgs.length > 1 ? callArgs.at(-1) : null;
  if (typeof done === 'function') done();
}

AsyncResource.prototype.runInAsyncScope = function runTest(fn, thisArg, ...args) {
  if (!isTestBody(this, thisArg, fn)) return Reflect.apply(runInAsyncScope, this, [fn, thisArg, ...args]);
  const test = this;
  const context = thisArg;
  const id = ids.get(context);
  if (stopped.has(id)) {
    const reason = stopped.get(id);
    const unrun = function stoppedTest() {
      throw new StoppedTestError(reason);
    };
    return Reflect.apply(runInAsyncScope, this, [unrun, thisArg, ...args]);
  }
  if (!runsBody(test, context, id)) return Reflect.apply(runInAsyncScope, this, [notJudged, thisArg, ...args]);
  const failed = judgedTests.has(test) ? () => send({ type: 'fail', id }) : () => {};
  // a test that calls t.skip() gets no afterEach: its window closes when its body ends
  const settle = () => {
    clearTimeout(timers.get(context));
    if (test.skipped) closeWindow(context);
  };
  const guarded = function guardedTest(...callArgs) {
    timers.set(
      context,
      setTimeout(() => {
        throw new TestTimeoutError();
      }, limitMs),
    );
    const callback = callArgs.length > 1 && typeof callArgs.at(-1) === 'function';
    if (callback) {
      const done = callArgs.at(-1);
      callArgs[callArgs.length - 1] = function doneGuarded(...doneArgs) {
        settle();
        if (doneArgs[0]) failed();
        return Reflect.apply(done, this, doneArgs);
      };
    }
    let result;
    try {
      result = Reflect.apply(fn, this, callArgs);
    } catch (error) {
      settle();
      failed();
      throw error;
    }
    if (result && typeof result.then === 'function') {
      result.then(settle, () => {
        settle();
        failed();
      });
    }
    else if (!callback) settle();
    return result;
  };
  return Reflect.apply(runInAsyncScope, this, [guarded, thisArg, ...args]);
};

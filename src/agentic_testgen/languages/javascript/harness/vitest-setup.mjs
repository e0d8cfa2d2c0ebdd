// A vitest setup file in atg's runs (`setupFiles`): root hooks around every test, which drive
// probe.mjs. It runs in vitest's worker thread (pool `threads`, so the worker shares the
// process's result channel, descriptor 3), before the test file.
//
// The root beforeEach runs before the test file's own hooks and the test ends for atg when vitest
// says it finished (after every afterEach). A test to leave out is skipped from that beforeEach.
import { beforeEach } from 'vitest';
import { createProbe } from './probe.mjs';

const probe = createProbe(process.env.ATG_JS_CHILD);
const TIMEOUT = /^Test timed out in \d+ms/;

function titles(task) {
  const names = [task.name];
  for (let suite = task.suite; suite && suite !== task.file && suite.type === 'suite' && !suite.filepath; suite = suite.suite) {
    names.unshift(suite.name);
  }
  return names;
}

beforeEach((context) => {
  const { task } = context;
  const id = probe.start(titles(task));
  context.onTestFinished(() => {
    const errors = task.result?.errors ?? [];
    probe.end(id, {
      passed: task.result?.state === 'pass',
      skipped: task.result?.state === 'skip' || task.mode === 'skip',
      todo: task.mode === 'todo',
      timed_out: errors.some((error) => TIMEOUT.test(String(error?.message ?? ''))),
    });
  });
  context.onTestFailed(() => probe.fail(id));
  const reason = probe.skipReason(id);
  if (reason !== null) context.skip(reason);
});

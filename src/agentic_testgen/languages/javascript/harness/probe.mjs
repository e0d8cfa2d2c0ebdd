// The test process's side of a jest or vitest run: what jest-environment.mjs (jest's test
// environment, told of every test by jest-circus) and vitest-setup.mjs (a vitest setup file with
// root hooks) share. It plays the part preload.mjs plays for node:test:
//
// - `start`/`end` on the result channel around every test (its hooks included), written
//   synchronously, so the supervisor can stop a test that blocks the event loop and name it;
// - a test stopped in an earlier attempt is skipped, unrun (`excluded`), and so, in a mutation run
//   (see mutants.mjs), is every test outside `run_only` and `run_also`;
// - with per-test coverage, V8 precise block coverage is started before the test file loads and
//   taken as each test starts and ends: what ran in between belongs to the tests running then,
//   sent for the module under test only, with the script's text as V8 compiled it (once), since
//   jest wraps a CommonJS module and vitest transforms every module before V8 sees it;
// - each test's own verdict as it ends (`result`; a `fail` as soon as a judged test fails), which
//   mutation runs stop on and the supervisor reads a time-out from (the runners' JSON reports do
//   not always say why a test failed).
//
// Node ids are the runner's titles of the test's describe blocks and the test, joined by ` > `
// as node:test's full names are; a name met again gets ` [2]`, ` [3]`...
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { send, uniqueNames } from './channel.mjs';
import { startPreciseCoverage } from './inspector.mjs';

function modulePathOf(url) {
  if (typeof url !== 'string') return null;
  if (!url.startsWith('file://')) return url;
  try {
    return fileURLToPath(url);
  } catch {
    return null;
  }
}

export function createProbe(configFile) {
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  const stopped = new Map(Object.entries(config.excluded ?? {}));
  const runOnly = Array.isArray(config.run_only) ? new Set(config.run_only) : null;
  const runAlso = new Set(Array.isArray(config.run_also) ? config.run_also : []);
  const modulePath = modulePathOf(config.module_url);
  const nameOf = uniqueNames();
  const open = [];
  const sentScripts = new Set();
  let post = null;

  if (config.per_test_coverage) {
    post = startPreciseCoverage();
  }

  // The debugger, which alone gives a script's text, is enabled once and stays on: disabling it
  // makes V8 drop the block counters of every function compiled so far (their coverage infos go
  // with the debugger's state), so later windows hold only those functions' call counts and a
  // test would seem to have run all of a function it entered. Pauses are skipped: a `debugger`
  // statement in a test or the module runs on.
  let debuggerOn = false;
  function sendScript(script) {
    if (sentScripts.has(script.scriptId)) return;
    sentScripts.add(script.scriptId);
    if (!debuggerOn) {
      post('Debugger.enable');
      post('Debugger.setSkipAllPauses', { skip: true });
      debuggerOn = true;
    }
    const { scriptSource } = post('Debugger.getScriptSource', { scriptId: script.scriptId });
    send({ type: 'script', id: script.scriptId, url: script.url, source: scriptSource });
  }

  function sendWindow() {
    const scripts = post('Profiler.takePreciseCoverage').result.filter(
      (entry) => modulePathOf(entry.url) === modulePath,
    );
    // what ran since the last mark belongs to every test running (none: loading, hooks)
    if (open.length === 0) return;
    for (const script of scripts) {
      sendScript(script);
      send({ type: 'window', id: open.at(-1), ids: [...open], script: script.scriptId, functions: script.functions });
    }
  }

  return {
    /** A test starts: its node id. */
    start(titles) {
      const id = nameOf(titles.join(' > '));
      send({ type: 'start', id });
      if (post) sendWindow();
      open.push(id);
      return id;
    },
    /** Why the test must not run here (a reason), or null. */
    skipReason(id) {
      if (stopped.has(id)) return `not run again: ${stopped.get(id)}`;
      if (runOnly !== null && !runOnly.has(id) && !runAlso.has(id)) return 'not selected';
      return null;
    },
    judged(id) {
      return runOnly !== null && runOnly.has(id);
    },
    fail(id) {
      if (runOnly !== null && runOnly.has(id)) send({ type: 'fail', id });
    },
    /** A test ended (its hooks too): its verdict as the runner holds it then. */
    end(id, verdict) {
      const at = open.lastIndexOf(id);
      if (at < 0) return;
      if (post) sendWindow();
      open.splice(at, 1);
      send({ type: 'end', id });
      send({ type: 'result', id, suite: false, ...verdict });
    },
  };
}

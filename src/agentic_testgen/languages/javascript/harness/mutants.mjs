// Runs the mutants of a JavaScript module inside the sandbox and prints one JSON report after the
// report key.
//
// Usage: node --no-warnings --experimental-vm-modules mutants.mjs CONFIG.json
//
// No test code runs in this process (--experimental-vm-modules only lets it parse an ES module
// without running it). node:test cannot run a file's tests twice in one process, so every mutant
// gets a process of its own, started fresh; so it does under jest and vitest (frameworks.mjs),
// whose probe.mjs skips the tests that do not judge it and reports verdicts as tests end:
//
//   1. the control: the unchanged module with every test that passed reliably in the measured
//      run (`runnable`). A test that does not pass there judges no mutant; how long node took to start and load the tests
//      sets the loading limit of the mutants;
//   2. each mutant, `parallel` at a time: the mutated module and the test file in a fresh folder,
//      the test file run with only the tests that covered the mutant (`run_only`, see
//      preload.mjs; the other tests pass at once, unrun). The process is stopped as soon as the
//      verdict is known: at the first judged test that fails (killed), or once every judged test
//      has passed (survived). A mutant that keeps its tests past its time limit (`timeout_s`
//      from the moment the first test starts; loading: a few times the control's) is stopped:
//      timeout, counted as killed. One that does not compile is not run (error), nor is one
//      whose every test failed the control (no coverage);
//   3. a kill is kept only when the test that killed it passes on the unchanged module run with
//      the same selection of tests (run once per selection, unless every test that ran before
//      the killer in the control runs in the selection too): a test that needs a test left out of
//      the selection (one that set up shared state, say) fails there too, mutant or not. The
//      mutant then runs again with every test that ran before its own in the measured run
//      (unjudged), and if that does not help, without the judged tests that fail unchanged.
//
// The report: per mutant its status, the judged test that killed it, how many tests judged it,
// its wall time and how much of it went to starting node and loading the tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeExit, killGroup, spawnChild, watchStreams, writeReport } from './children.mjs';
import { testCommand } from './frameworks.mjs';
import { compileError, loadsAsModule } from './syntax.mjs';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const WATCH_EVERY_MS = 25;
// a mutant may take this many times as long as the control took to load the tests, plus this
const LOAD_FACTOR = 4;
const LOAD_ALLOWANCE_MS = 2000;
// where the module and the test file sit in the workspace (beside each other, or apart)
const moduleName = path.relative(config.workspace, config.module_file);
const testsName = path.relative(config.workspace, config.tests_file);
const original = fs.readFileSync(config.module_file);
const testsCode = fs.readFileSync(config.tests_file);
const asModule = loadsAsModule(config.module_file, original.toString('utf8'));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'atg-js-mutants-'));
const started = Date.now();
const findings = [];
const notes = [];
let malformed = 0;

// The error a test process died of before running any test
function loadError(stderr) {
  const lines = stderr.split('\n').map((line) => line.trimEnd());
  const at = lines.findIndex((line) => /^[\w$.]*(Error|Exception)( \[[A-Z0-9_]+\])?: /.test(line));
  if (at >= 0) return lines[at];
  return lines.filter((line) => line.trim()).at(-1) ?? '';
}

function layOut(name, code) {
  const folder = path.join(scratch, name);
  fs.mkdirSync(folder);
  for (const [name, text] of [[moduleName, code], [testsName, testsCode]]) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  return folder;
}

/**
 * One test process over `folder`, judged by the tests in `selection.judged`; the tests in
 * `selection.extra` run too, unjudged. `failFast`: stop at the first judged test that fails.
 * Returns {verdict, killedBy, detail, loadMs, passed, failed, order}: verdict is killed,
 * survived, timeout or error; passed and failed are the judged tests seen to do so, order every
 * test in the order they started.
 */
async function runTests(folder, selection, { testLimitMs, loadLimitMs, failFast }) {
  const runOnly = selection.judged;
  const childConfig = path.join(folder, '.atg-child.json');
  fs.writeFileSync(
    childConfig,
    JSON.stringify({
      excluded: {},
      test_timeout_ms: testLimitMs,
      per_test_coverage: false,
      module_url: pathToFileURL(path.join(folder, moduleName)).href,
      run_only: [...runOnly],
      run_also: [...selection.extra],
    }),
  );
  const command = testCommand({
    framework: config.framework ?? 'node',
    toolHome: config.tool_home,
    folder,
    testsFile: path.join(folder, testsName),
    moduleFile: path.join(folder, moduleName),
    scratch: `${folder}.run`,
    limitMs: testLimitMs,
    coverage: false,
  });
  const env = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? config.workspace,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    CI: '1',
    ATG_JS_CHILD: childConfig,
    ...command.env,
  };
  const args = command.args;
  const spawnedAt = Date.now();
  const outcome = { verdict: null, killedBy: null, detail: '', loadMs: null, passed: new Set(), failed: new Set(), order: [] };
  const spawned = await spawnChild(config.node, args, { cwd: folder, env });
  if (!spawned.child) {
    outcome.verdict = 'error';
    outcome.detail = `the test process could not start: ${spawned.error?.message}`;
    return outcome;
  }
  const { child } = spawned;
  const open = [];
  let firstStart = null;
  let timedOut = false;

  const decide = (verdict, killedBy = null) => {
    if (outcome.verdict !== null) return;
    outcome.verdict = verdict;
    outcome.killedBy = killedBy;
    killGroup(child);
  };
  const onMessage = (line) => {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      malformed += 1;
      return;
    }
    if (!message || typeof message !== 'object' || typeof message.id !== 'string') {
      malformed += 1;
      return;
    }
    const { id } = message;
    if (message.type === 'start') {
      if (firstStart === null) {
        firstStart = Date.now();
        outcome.loadMs = firstStart - spawnedAt;
      }
      open.push(id);
      outcome.order.push(id);
    } else if (message.type === 'end') {
      const at = open.lastIndexOf(id);
      if (at >= 0) open.splice(at, 1);
    } else if (message.type === 'fail') {
      if (failFast && runOnly.has(id)) decide('killed', id);
    } else if (message.type === 'result') {
      if (message.suite || !runOnly.has(id)) return;
      if (message.passed || message.skipped || message.todo) {
        outcome.passed.add(id);
      } else {
        outcome.failed.add(id);
        if (failFast) decide(message.timed_out ? 'timeout' : 'killed', id);
      }
      if (outcome.passed.size + outcome.failed.size >= runOnly.size) {
        decide(outcome.failed.size ? 'killed' : 'survived', [...outcome.failed][0] ?? null);
      }
    } else {
      malformed += 1;
    }
  };
  const streams = watchStreams(child, onMessage);
  const watchdog = setInterval(() => {
    const now = Date.now();
    const over = firstStart === null ? now - spawnedAt > loadLimitMs : now - firstStart > testLimitMs;
    if (!over) return;
    clearInterval(watchdog);
    timedOut = true;
    const running = open.findLast((id) => runOnly.has(id)) ?? null;
    decide('timeout', running);
  }, WATCH_EVERY_MS);
  const exit = await new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  clearInterval(watchdog);
  killGroup(child); // whatever it left running
  const pending = await streams.finish();
  if (pending && outcome.verdict === null) onMessage(pending);
  if (outcome.verdict !== null) {
    if (timedOut) {
      const phase = firstStart === null ? `loading the tests took over ${loadLimitMs} ms` : `its tests ran over ${testLimitMs} ms`;
      outcome.detail = `${phase}: stopped`;
    }
    return outcome;
  }
  // the process ended before every judged test reported
  const failed = exit.code !== 0 || exit.signal !== null;
  if (outcome.failed.size) {
    outcome.verdict = 'killed';
    outcome.killedBy = [...outcome.failed][0];
  } else if (open.length > 0) {
    outcome.verdict = 'killed';
    outcome.killedBy = open.findLast((id) => runOnly.has(id)) ?? null;
    outcome.detail = `the test process ended during a test (${describeExit(exit.code, exit.signal)})`;
  } else if (firstStart === null) {
    outcome.verdict = failed ? 'killed' : 'error';
    const stderr = streams.stderr.toString('utf8');
    outcome.detail = failed ? `the tests did not load: ${loadError(stderr)}` : 'the test file ran no test';
  } else if (failed) {
    outcome.verdict = 'killed';
    outcome.detail = `the test process ended with ${describeExit(exit.code, exit.signal)}`;
  } else {
    outcome.verdict = outcome.passed.size ? 'survived' : 'error';
    if (!outcome.passed.size) outcome.detail = 'none of its tests ran';
  }
  return outcome;
}

async function pool(items, width, work) {
  const results = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, lane));
  return results;
}

function mutated(mutant) {
  return Buffer.concat([
    original.subarray(0, mutant.start),
    Buffer.from(mutant.mutated, 'utf8'),
    original.subarray(mutant.end),
  ]);
}

let folders = 0;
const runnable = new Set(config.runnable);
let order = []; // every test, in the order the control started them
let controlPassed = new Set();

/** Runs a selection of tests on the unchanged module: the judged tests that did not pass, or
 * null when no test ran (the tests did not load, or ran past the limit). Each selection runs
 * once. */
const unchangedRuns = new Map();
function notPassingUnchanged(chosen, limits) {
  const selection = { judged: new Set(chosen.judged), extra: new Set(chosen.extra) };
  const key = JSON.stringify([[...selection.judged].sort(), [...selection.extra].sort()]);
  if (!unchangedRuns.has(key)) {
    const run = (async () => {
      folders += 1;
      const folder = layOut(`unchanged-${folders}`, original);
      try {
        const outcome = await runTests(folder, selection, { ...limits, failFast: false });
        const failing = new Set([...selection.judged].filter((id) => !outcome.passed.has(id)));
        return { outcome, failing: outcome.loadMs === null ? null : failing };
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
        fs.rmSync(`${folder}.run`, { recursive: true, force: true });
      }
    })();
    unchangedRuns.set(key, run);
  }
  return unchangedRuns.get(key);
}

// The tests that ran before the last of `tests` in the measured run and passed there.
function runBefore(tests) {
  const last = Math.max(...[...tests].map((id) => order.indexOf(id)));
  return new Set(order.slice(0, Math.max(0, last)).filter((id) => runnable.has(id) && !tests.has(id)));
}

// Whether a run of `selection` is, up to `id`, the control's run: every test that ran before it
// there runs here too (then it passes unchanged here as it did there).
function asInControl(id, selection) {
  const at = order.indexOf(id);
  if (at < 0) return false;
  return order
    .slice(0, at)
    .every((earlier) => !runnable.has(earlier) || selection.judged.has(earlier) || selection.extra.has(earlier));
}

function spentMs(tests) {
  return [...tests].reduce((sum, id) => sum + (Number(config.durations[id]) || 0) * 1000, 0);
}

/**
 * A mutant's verdict on `tests`. A kill is kept only when the test that killed it passes on the
 * unchanged module run with the same selection (a test that needs another test to have run
 * first fails there too, mutant or not). Otherwise the mutant runs again with the tests that ran
 * before its own in the measured run (unjudged), and then without the judged tests that still
 * fail unchanged.
 */
async function judge(mutant, code, tests, loadLimitMs) {
  const selection = { judged: tests, extra: new Set() };
  const limits = () => ({
    testLimitMs: Math.round(mutant.timeout_s * 1000 + config.timeout_factor * spentMs(selection.extra)),
    loadLimitMs,
  });
  let widened = false;
  const unconfirmed = (run, verdict) => ({
    run: { ...run, verdict, killedBy: null, detail: 'its tests do not pass on the unchanged module when run alone' },
    judging: selection.judged,
  });
  for (;;) {
    folders += 1;
    const folder = layOut(`m${mutant.id}-${folders}`, code);
    let run;
    try {
      run = await runTests(folder, selection, { ...limits(), failFast: true });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
      fs.rmSync(`${folder}.run`, { recursive: true, force: true });
    }
    if (run.verdict !== 'killed') return { run, judging: selection.judged };
    if (run.killedBy !== null && controlPassed.has(run.killedBy) && asInControl(run.killedBy, selection)) {
      return { run, judging: selection.judged };
    }
    const { failing } = await notPassingUnchanged(selection, limits());
    if (failing === null) return unconfirmed(run, 'error');
    if (failing.size === 0 || (run.killedBy !== null && !failing.has(run.killedBy))) {
      return { run, judging: selection.judged };
    }
    if (!widened) {
      widened = true;
      selection.extra = runBefore(selection.judged);
      if (selection.extra.size) continue;
    }
    selection.judged = new Set([...selection.judged].filter((id) => !failing.has(id)));
    if (selection.judged.size === 0) return unconfirmed(run, 'no_coverage');
  }
}

async function main() {
  const report = { mutants: {}, control: null, notes, integrity: findings };
  const judged = new Set(config.mutants.flatMap((mutant) => mutant.tests));
  const extra = new Set([...runnable].filter((id) => !judged.has(id)));
  const { outcome: base } = await notPassingUnchanged({ judged, extra }, {
    testLimitMs: Math.round(config.control_timeout_s * 1000),
    loadLimitMs: Math.round(config.startup_s * 1000),
  });
  order = base.order;
  controlPassed = base.passed;
  report.control = { load_s: (base.loadMs ?? 0) / 1000, passed: base.passed.size, failed: [...base.failed] };
  if (base.loadMs === null || base.passed.size === 0) {
    const why = base.detail || (base.verdict === 'timeout' ? 'it timed out' : 'none of the tests passed');
    notes.push(`mutants not run: the tests did not pass on the unchanged module in the mutation run (${why})`);
    for (const mutant of config.mutants) {
      report.mutants[mutant.id] = { status: 'error', killed_by: null, tests_run: 0, duration_s: 0, load_s: 0, detail: why };
    }
    return report;
  }
  // a judged test that did not pass here judges no mutant
  const excluded = new Set([...judged].filter((id) => !base.passed.has(id)));
  if (excluded.size) {
    const names = [...excluded].slice(0, 5).join(', ');
    notes.push(`${excluded.size} tests judge no mutant: they did not pass on the unchanged module when run only with the tests that cover mutants (${names})`);
  }
  const loadLimitMs = LOAD_FACTOR * base.loadMs + LOAD_ALLOWANCE_MS;
  let uncompiled = 0;
  let unrun = 0;
  await pool(config.mutants, config.parallel, async (mutant) => {
    const begun = Date.now();
    const tests = new Set(mutant.tests.filter((id) => !excluded.has(id)));
    const record = (status, fields = {}) => {
      report.mutants[mutant.id] = {
        status,
        killed_by: null,
        tests_run: tests.size,
        duration_s: (Date.now() - begun) / 1000,
        load_s: 0,
        detail: '',
        ...fields,
      };
    };
    if (tests.size === 0) return record('no_coverage', { detail: 'every test that covers it failed on the unchanged module' });
    if ((Date.now() - started) / 1000 > config.budget_s) {
      unrun += 1;
      return record('error', { detail: "not run: the run's time budget was spent" });
    }
    const code = mutated(mutant);
    const problem = compileError(code.toString('utf8'), config.module_file, asModule);
    if (problem) {
      uncompiled += 1;
      return record('error', { detail: `the mutated module does not compile: ${problem}` });
    }
    const { run, judging } = await judge(mutant, code, tests, loadLimitMs);
    return record(run.verdict, {
      killed_by: run.killedBy,
      tests_run: judging.size,
      load_s: (run.loadMs ?? 0) / 1000,
      detail: run.detail,
    });
  });
  if (uncompiled) notes.push(`${uncompiled} mutants do not compile: not run (error)`);
  if (unrun) notes.push(`${unrun} mutants not run: the run's time budget was spent (error)`);
  const reruns = unchangedRuns.size - 1;
  if (reruns) notes.push(`${reruns} sets of tests were run on the unchanged module to confirm kills`);
  if (malformed) {
    findings.push({
      kind: 'channel',
      test: '',
      detail: `test processes wrote ${malformed} malformed messages on their result channel`,
    });
  }
  return report;
}

main().then(
  (report) => {
    writeReport(config.report_key, report);
    fs.rmSync(scratch, { recursive: true, force: true });
  },
  (error) => {
    process.stderr.write(`atg mutation supervisor failed: ${error?.stack ?? error}\n`);
    process.exitCode = 70;
  },
);

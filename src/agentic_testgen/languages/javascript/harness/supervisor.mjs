// Runs a JavaScript test file inside the sandbox and prints one JSON report after the report key.
//
// Usage: node --no-warnings supervisor.mjs CONFIG.json
//
// No test code runs in this process. Each run of the tests is a child `node` process running the
// test file with the configured framework (frameworks.mjs): node:test with preload.mjs loaded
// first and reporter.mjs as its reporter, or jest or vitest with probe.mjs inside (as jest's test
// environment or vitest's setup file). The child reports on descriptor 3 (a pipe this process
// reads); jest and vitest also write their JSON report, where their verdicts are read from. The
// child's own output goes to pipes this process drains and keeps only as diagnostics. This process
// alone writes the report channel (its standard output); its children never hold it.
//
// Runs, in order:
//   1. the per-test run: V8 precise coverage windows around every test (per-test lines and
//      branches) and the verdicts the outcome reports;
//   2. the totals run, alongside the reruns (`parallel` at a time): for node:test, node writes V8
//      coverage at exit (NODE_V8_COVERAGE, as under c8), which gives the file's totals exactly as
//      c8 computes them; jest and vitest measure their own V8 coverage of the module
//      (tool-coverage.mjs). Its verdicts are the first rerun;
//   3. the other reruns, plain.
// A test still running past its time limit while blocking the event loop (no timer can fire), or
// a test process that dies during a test, is recorded against that test and the run is started
// again without it, so one bad test never costs the others their results. Tests the per-test run
// had to stop are not run again by the later runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeExit, killGroup, spawnChild, watchStreams, writeReport } from './children.mjs';
import { moduleCoverage } from './coverage.mjs';
import { readResults, readToolCoverage, testCommand } from './frameworks.mjs';
import { syntaxError } from './syntax.mjs';
import { toolModuleCoverage } from './tool-coverage.mjs';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const framework = config.framework ?? 'node';
const MAX_RESTARTS = 20;
const WATCH_EVERY_MS = 100;
const limitMs = Math.round(config.test_timeout_s * 1000);
// past its own timer, a test is stopped from outside (it blocks the event loop)
const hardLimitMs = limitMs + 1000 + Math.round(limitMs / 10);
// outside any test: loading the test file, suite hooks, the end of the process
const idleLimitMs = limitMs + Math.round(config.startup_s * 1000);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'atg-js-'));
const started = Date.now();
let children = 0;
const findings = [];
const notes = [];

// The error a test process died of before running any test (e.g. a module it requires is missing)
function loadError(stderr) {
  const lines = stderr.split('\n').map((line) => line.trimEnd());
  const at = lines.findIndex((line) => /^[\w$.]*(Error|Exception)( \[[A-Z0-9_]+\])?: /.test(line));
  if (at >= 0) return lines.slice(at, at + 3).filter((line) => line && !line.startsWith('    at ')).join('\n');
  return lines.filter((line) => line.trim()).at(-1) ?? '';
}

/** One test process: its verdicts, windows and what stopped it. */
async function runChild(job, stopped) {
  children += 1;
  const configFile = path.join(scratch, `child-${children}.json`);
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      excluded: Object.fromEntries([...stopped].map(([id, casualty]) => [id, casualty.detail])),
      test_timeout_ms: limitMs,
      per_test_coverage: job.kind === 'per-test',
      module_url: pathToFileURL(config.module_file).href,
    }),
  );
  const command = testCommand({
    framework,
    toolHome: config.tool_home,
    folder: config.workspace,
    testsFile: config.tests_file,
    moduleFile: config.module_file,
    scratch: path.join(scratch, `run-${children}`),
    limitMs,
    coverage: job.kind === 'totals',
  });
  const env = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? config.workspace,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    CI: '1', // jest and vitest: never write a snapshot
    ATG_JS_CHILD: configFile,
    ...command.env,
  };
  let coverageDir = null;
  if (job.kind === 'totals' && framework === 'node') {
    coverageDir = path.join(scratch, `v8-coverage-${children}`);
    fs.mkdirSync(coverageDir);
    env.NODE_V8_COVERAGE = coverageDir;
  }
  const spawned = await spawnChild(config.node, command.args, { cwd: config.workspace, env });
  const outcome = {
    results: [],
    streamed: new Map(),
    windows: [],
    scripts: new Map(),
    toolCoverage: null,
    casualty: null,
    stoppedOutside: null,
    exit: null,
    stderr: '',
    started: 0,
    malformed: 0,
    coverageDir,
  };
  if (!spawned.child) {
    outcome.stoppedOutside = `the test process could not start: ${spawned.error?.message}`;
    return outcome;
  }
  const { child } = spawned;
  const open = [];
  let lastProgress = Date.now();
  let stoppedBy = null;

  const onMessage = (line) => {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      outcome.malformed += 1;
      return;
    }
    if (!message || typeof message !== 'object' || typeof message.id !== 'string') {
      outcome.malformed += 1;
      return;
    }
    lastProgress = Date.now();
    if (message.type === 'start') {
      outcome.started += 1;
      open.push(message.id);
    } else if (message.type === 'end') {
      const at = open.lastIndexOf(message.id);
      if (at >= 0) open.splice(at, 1);
    } else if (message.type === 'window') {
      const ids = message.ids;
      if (Array.isArray(message.functions) && Array.isArray(ids) && ids.every((id) => typeof id === 'string')) {
        outcome.windows.push({ ids, functions: message.functions, script: message.script });
      } else {
        outcome.malformed += 1;
      }
    } else if (message.type === 'script' && typeof message.source === 'string') {
      outcome.scripts.set(message.id, message.source);
    } else if (message.type === 'result') {
      if (framework === 'node') outcome.results.push(message);
      else outcome.streamed.set(message.id, message);
    } else if (message.type === 'fail') {
      // a judged test failed (mutation runs): the verdict comes with its result
    } else {
      outcome.malformed += 1;
    }
  };
  const streams = watchStreams(child, onMessage);

  const watchdog = setInterval(() => {
    const quiet = Date.now() - lastProgress;
    if (open.length > 0 && quiet > hardLimitMs) {
      stoppedBy = { kind: 'timeout', id: open.at(-1) };
    } else if (open.length === 0 && quiet > idleLimitMs) {
      stoppedBy = { kind: 'idle' };
    } else {
      return;
    }
    clearInterval(watchdog);
    killGroup(child);
  }, WATCH_EVERY_MS);

  outcome.exit = await new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  clearInterval(watchdog);
  killGroup(child); // whatever it left running
  const pending = await streams.finish();
  if (pending && !stoppedBy) onMessage(pending); // a line cut by a kill is dropped
  outcome.stderr = streams.stderr.toString('utf8');
  if (framework !== 'node' && !stoppedBy) readRunnerReport(outcome, command);

  if (stoppedBy?.kind === 'timeout') {
    outcome.casualty = {
      id: stoppedBy.id,
      outcome: 'timeout',
      detail: `still running after ${(hardLimitMs / 1000).toFixed(1)} s (the limit is ${config.test_timeout_s} s): stopped`,
    };
  } else if (stoppedBy?.kind === 'idle') {
    outcome.stoppedOutside = `stopped after ${(idleLimitMs / 1000).toFixed(0)} s without progress outside any test (loading the test file, a suite hook, or the end of the process)`;
  } else if (open.length > 0) {
    outcome.casualty = {
      id: open.at(-1),
      outcome: 'killed',
      detail: `the test process ended during this test (${describeExit(outcome.exit.code, outcome.exit.signal)})`,
    };
  }
  return outcome;
}

// jest's or vitest's verdicts from its JSON report; a test that ran past its time limit says so in
// its own hooks (vitest's report does not keep the message). Without a report (the process died),
// the verdicts the hooks sent stand in, and the run says so.
function readRunnerReport(outcome, command) {
  const report = readResults(framework, command.results, config.tests_file);
  if (report === null) {
    if (outcome.streamed.size > 0 && outcome.exit) {
      notes.push(`${framework} wrote no report (${describeExit(outcome.exit.code, outcome.exit.signal)}): verdicts as the tests' hooks saw them`);
      outcome.results = [...outcome.streamed.values()].map((result) => ({ ...result, duration_ms: 0, failure: result.passed ? null : 'the test failed' }));
    }
    return;
  }
  outcome.results = report.results.map((result) => {
    const seen = outcome.streamed.get(result.id);
    return seen?.timed_out && !result.passed ? { ...result, timed_out: true } : result;
  });
  for (const message of report.fileErrors) {
    outcome.results.push({ id: '', suite: true, passed: false, failure_type: 'fileFailed', failure: message });
  }
  if (command.coverageDir) outcome.toolCoverage = readToolCoverage(command.coverageDir, config.module_file);
}

function outcomeOf(result) {
  if (result.skipped || result.todo) return 'skipped';
  if (result.passed) return 'passed';
  if (result.timed_out || result.failure_type === 'testTimeoutFailure') return 'timeout';
  if (result.failure_type === 'hookFailed' || result.failure_type === 'cancelledByParent') return 'error';
  return 'failed';
}

/** One run of the tests: test processes started again without each test that stopped one. */
async function runJob(job, inherited) {
  const stopped = new Map(inherited);
  let outcome;
  for (let attempt = 0; ; attempt += 1) {
    outcome = await runChild(job, stopped);
    const casualty = outcome.casualty;
    if (!casualty || stopped.has(casualty.id)) break;
    stopped.set(casualty.id, casualty);
    if (attempt >= MAX_RESTARTS) {
      notes.push(`${job.kind} run: stopped after ${MAX_RESTARTS} restarts`);
      break;
    }
  }
  if (outcome.malformed) {
    findings.push({
      kind: 'channel',
      test: '',
      detail: `a test process wrote ${outcome.malformed} malformed messages on its result channel`,
    });
  }
  const tests = {};
  const collectionErrors = [];
  for (const result of outcome.results) {
    if (result.suite) {
      const own = result.failure_type && !['subtestsFailed', 'cancelledByParent'].includes(result.failure_type);
      if (!result.passed && own) collectionErrors.push({ nodeid: result.id, message: result.failure ?? '' });
      continue;
    }
    if (stopped.has(result.id)) continue;
    if (result.stopped) {
      findings.push({ kind: 'results-altered', test: result.id, detail: 'a test was stopped that the supervisor never stopped' });
    }
    tests[result.id] = {
      outcome: outcomeOf(result),
      duration_s: Math.max(0, Number(result.duration_ms) || 0) / 1000,
      failure: result.passed ? null : (result.failure ?? null),
    };
  }
  if (outcome.stoppedOutside) collectionErrors.push({ nodeid: '', message: outcome.stoppedOutside });
  else if (outcome.started === 0 && outcome.results.length === 0 && outcome.exit && (outcome.exit.code !== 0 || outcome.exit.signal)) {
    const reason = loadError(outcome.stderr) || describeExit(outcome.exit.code, outcome.exit.signal);
    collectionErrors.push({ nodeid: '', message: reason });
  }
  return {
    kind: job.kind,
    tests,
    casualties: Object.fromEntries([...stopped].map(([id, casualty]) => [id, { outcome: casualty.outcome, detail: casualty.detail }])),
    collection_errors: collectionErrors,
    stopped,
    stoppedOutside: Boolean(outcome.stoppedOutside),
    windows: outcome.windows,
    scripts: outcome.scripts,
    coverageDir: outcome.coverageDir,
    toolCoverage: outcome.toolCoverage,
  };
}

async function pool(jobs, width, work) {
  const results = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const index = next;
      next += 1;
      results[index] = await work(jobs[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, jobs.length)) }, lane));
  return results;
}

async function main() {
  const report = { syntax_error: null, runs: [], coverage: null, notes, integrity: findings };
  for (const [role, file] of [['tests', config.tests_file], ['module', config.module_file]]) {
    const problem = syntaxError(config.node, file, fs.readFileSync(file, 'utf8'));
    if (problem) {
      report.syntax_error = { file: role, ...problem };
      return report;
    }
  }
  const perTest = await runJob({ kind: 'per-test' }, new Map());
  // a test that timed out would cost its whole time limit again in every later run
  const stopLater = new Map(perTest.stopped);
  for (const [id, test] of Object.entries(perTest.tests)) {
    if (test.outcome === 'timeout') {
      stopLater.set(id, { outcome: 'timeout', detail: 'timed out in the first run: not run again' });
    }
  }
  const jobs = [{ kind: 'totals' }];
  for (let index = 1; index < config.reruns; index += 1) jobs.push({ kind: 'rerun' });
  if (perTest.stoppedOutside) {
    // it would hang the same way again, costing the same time for nothing
    notes.push('the later runs (coverage totals, reruns) were left out: the first run hung outside any test');
    jobs.length = 0;
  }
  let skipped = 0;
  const later = await pool(jobs, config.parallel, async (job) => {
    if (job.kind === 'rerun' && (Date.now() - started) / 1000 > config.budget_s) {
      skipped += 1;
      return null;
    }
    return runJob(job, stopLater);
  });
  if (skipped) notes.push(`${skipped} reruns left out: the run's time budget was spent`);
  const runs = [perTest, ...later.filter(Boolean)];
  report.runs = runs.map(({ kind, tests, casualties, collection_errors: errors }) => ({
    kind,
    tests,
    casualties,
    collection_errors: errors,
  }));
  const totals = runs.find((run) => run.kind === 'totals');
  try {
    const coverage =
      framework === 'node'
        ? await moduleCoverage({
            toolHome: config.tool_home,
            modulePath: config.module_file,
            coverageDirs: totals?.coverageDir ? [totals.coverageDir] : [],
            windows: perTest.windows,
          })
        : await toolModuleCoverage({
            framework,
            toolHome: config.tool_home,
            modulePath: config.module_file,
            totals: totals?.toolCoverage ?? null,
            windows: perTest.windows,
            scripts: perTest.scripts,
          });
    for (const note of coverage?.notes ?? []) notes.push(note);
    if (coverage) delete coverage.notes;
    if (coverage?.note) notes.push(`coverage: ${coverage.note}`);
    else if (coverage === null && totals && framework !== 'node') notes.push(`coverage: ${framework} wrote no coverage of the module`);
    else report.coverage = coverage;
  } catch (error) {
    notes.push(`coverage: could not be computed (${error?.message ?? error})`);
  }
  return report;
}

main().then(
  (report) => {
    writeReport(config.report_key, report);
    fs.rmSync(scratch, { recursive: true, force: true });
  },
  (error) => {
    process.stderr.write(`atg supervisor failed: ${error?.stack ?? error}\n`);
    process.exitCode = 70;
  },
);

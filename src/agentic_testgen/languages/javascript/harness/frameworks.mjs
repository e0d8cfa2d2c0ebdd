// How a test process is started for each test framework, and how its verdicts are read.
//
// - node: `node --test` with preload.mjs and reporter.mjs (see preload.mjs); verdicts arrive on
//   the result channel as tests end.
// - jest: jest's own CLI from the tool home, in band (the tests run in that one process), with
//   jest-environment.mjs as the test environment; the test file (only) goes through babel-jest,
//   as jest's default does, so `jest.mock` calls are hoisted; the module runs as node would load
//   it, untransformed. Verdicts: jest's `--json` report.
// - vitest: vitest's own CLI from the tool home, one worker thread, vitest-setup.mjs as setup file,
//   globals on. Verdicts: vitest's `json` reporter.
// The totals run asks the tool for its own V8 coverage of the module only (jest
// `--coverage --coverageProvider=v8`, vitest `@vitest/coverage-v8`), written as istanbul JSON
// (coverage-final.json) with the tool's summary (coverage-summary.json).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { uniqueNames } from './channel.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = pathToFileURL(path.join(here, 'preload.mjs')).href;
const REPORTER = pathToFileURL(path.join(here, 'reporter.mjs')).href;
const JEST_ENVIRONMENT = path.join(here, 'jest-environment.mjs');
const VITEST_SETUP = path.join(here, 'vitest-setup.mjs');
export const FRAMEWORKS = ['node', 'jest', 'vitest'];

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function escapeGlob(text) {
  return text.replace(/[*?[\]{}()!\\]/g, '\\$&');
}

/**
 * The command of one test process: {args (after the node executable), env (added), results
 * (the file the runner writes its verdicts to, or null), coverageDir (the tool's coverage
 * output, or null)}.
 *
 * @param {object} run
 * @param {string} run.framework node, jest or vitest
 * @param {string} run.toolHome where `atg setup javascript` installed the tools
 * @param {string} run.folder the folder holding the module and the test file
 * @param {string} run.testsFile the test file (in `folder`)
 * @param {string} run.moduleFile the module under test (in `folder`)
 * @param {string} run.scratch a private folder for this process's configuration and reports
 * @param {number} run.limitMs a test's time limit
 * @param {boolean} run.coverage whether the tool measures its own coverage of the module
 */
export function testCommand(run) {
  fs.mkdirSync(run.scratch, { recursive: true });
  if (run.framework === 'jest') return jestCommand(run);
  if (run.framework === 'vitest') return vitestCommand(run);
  return {
    args: ['--test-force-exit', '--import', PRELOAD, '--test-reporter', REPORTER, '--test-reporter-destination', 'stderr', run.testsFile],
    env: {},
    results: null,
    coverageDir: null,
  };
}

function jestCommand(run) {
  const results = path.join(run.scratch, 'jest-results.json');
  const coverageDir = run.coverage ? path.join(run.scratch, 'coverage') : null;
  const config = {
    rootDir: run.folder,
    roots: [run.folder],
    testMatch: [escapeGlob(run.testsFile)],
    testPathIgnorePatterns: ['/node_modules/'],
    testEnvironment: JEST_ENVIRONMENT,
    transform: { [`^${escapeRegExp(run.testsFile)}$`]: path.join(run.toolHome, 'node_modules', 'babel-jest', 'build', 'index.js') },
    cacheDirectory: path.join(run.scratch, 'jest-cache'),
    testTimeout: run.limitMs,
    watchman: false,
    injectGlobals: true,
  };
  if (coverageDir) {
    Object.assign(config, {
      collectCoverage: true,
      coverageProvider: 'v8',
      collectCoverageFrom: [escapeGlob(path.relative(run.folder, run.moduleFile))],
      coverageReporters: ['json', 'json-summary'],
      coverageDirectory: coverageDir,
    });
  }
  return {
    args: [
      '--experimental-vm-modules',
      path.join(run.toolHome, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--config', JSON.stringify(config),
      '--ci', '--runInBand', '--forceExit', '--no-watchman', '--json', '--outputFile', results,
    ],
    env: { ATG_JS_TOOLS: run.toolHome },
    results,
    coverageDir,
  };
}

function vitestCommand(run) {
  const results = path.join(run.scratch, 'vitest-results.json');
  const coverageDir = run.coverage ? path.join(run.scratch, 'coverage') : null;
  const test = {
    include: [escapeGlob(path.relative(run.folder, run.testsFile))],
    globals: true,
    pool: 'threads', // a worker thread shares the result channel (a forked worker's fd 3 is its IPC)
    maxWorkers: 1,
    fileParallelism: false,
    setupFiles: [VITEST_SETUP],
    testTimeout: run.limitMs,
    hookTimeout: run.limitMs,
    reporters: ['json'],
    outputFile: results,
    watch: false,
    coverage: coverageDir
      ? {
          enabled: true,
          provider: 'v8',
          include: [escapeGlob(path.relative(run.folder, run.moduleFile))],
          reporter: ['json', 'json-summary'],
          reportsDirectory: coverageDir,
          clean: false,
          reportOnFailure: true, // a failing test must not cost the file its figures
        }
      : { enabled: false },
  };
  const configFile = path.join(run.scratch, 'vitest.config.mjs');
  fs.writeFileSync(
    configFile,
    `export default ${JSON.stringify({ root: run.folder, cacheDir: path.join(run.scratch, 'vite-cache'), logLevel: 'silent', test })};\n`,
  );
  return {
    args: [path.join(run.toolHome, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', configFile, '--configLoader', 'runner'],
    env: { ATG_JS_TOOLS: run.toolHome },
    results,
    coverageDir,
  };
}

const FAILURE_LINES = 12;
const FAILURE_CHARS = 4000;

// The failure as reader wants it (as reporter.mjs gives it for node:test): where in the test file
// it was thrown, then the error's name and message.
function describeFailure(message, testsFile) {
  const lines = String(message ?? '').split('\n');
  const stackAt = lines.findIndex((line) => /^\s+at /.test(line));
  const head = (stackAt >= 0 ? lines.slice(0, stackAt) : lines).filter((line, index, all) => line.trim() || index < all.length - 1);
  const testsName = path.basename(testsFile);
  const frame = lines.slice(Math.max(0, stackAt)).find((line) => line.includes(testsFile));
  const where = frame?.slice(frame.lastIndexOf(testsFile) + testsFile.length).match(/^:\d+:\d+/);
  const shown = head.slice(0, FAILURE_LINES).map((line) => line.trimEnd());
  if (where) shown.unshift(`at ${testsName}${where[0]}`);
  return shown.join('\n').slice(0, FAILURE_CHARS) || 'the test failed';
}

/**
 * The verdicts of a jest or vitest run from the runner's JSON report, as result messages
 * (see reporter.mjs), and the errors of a file that did not run: {results, fileErrors}, or null
 * when the report is missing or unreadable.
 */
export function readResults(framework, resultsFile, testsFile) {
  let report;
  try {
    report = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    return null;
  }
  if (!report || !Array.isArray(report.testResults)) return null;
  const nameOf = uniqueNames();
  const results = [];
  const fileErrors = [];
  for (const file of report.testResults) {
    const tests = Array.isArray(file?.assertionResults) ? file.assertionResults : [];
    for (const test of tests) {
      const titles = [...(Array.isArray(test.ancestorTitles) ? test.ancestorTitles : []), test.title];
      const status = String(test.status);
      const failures = Array.isArray(test.failureMessages) ? test.failureMessages : [];
      results.push({
        type: 'result',
        id: nameOf(titles.map(String).join(' > ')),
        suite: false,
        passed: status === 'passed',
        skipped: ['pending', 'skipped', 'disabled'].includes(status),
        todo: status === 'todo',
        duration_ms: Number(test.duration) || 0,
        failure_type: null,
        timed_out: failures.some((text) => /Exceeded timeout of \d+ ms for a test|Test timed out in \d+ms/.test(String(text))),
        stopped: false,
        failure: status === 'failed' ? describeFailure(failures[0] ?? '', testsFile) : null,
      });
    }
    const message = String(file?.message ?? file?.testExecError?.message ?? '').trim();
    if (file?.status === 'failed' && message && tests.every((test) => test.status !== 'failed')) {
      fileErrors.push(describeFailure(message.replace(/^\s*● .*\n+/, ''), testsFile));
    }
  }
  return { results, fileErrors, framework };
}

/** The tool's own coverage of the module: its istanbul data and summary, or null. */
export function readToolCoverage(coverageDir, modulePath) {
  try {
    const final = JSON.parse(fs.readFileSync(path.join(coverageDir, 'coverage-final.json'), 'utf8'));
    const summary = JSON.parse(fs.readFileSync(path.join(coverageDir, 'coverage-summary.json'), 'utf8'));
    const data = final[modulePath];
    if (!data) return null;
    return { data, summary: summary[modulePath] ?? null };
  } catch {
    return null;
  }
}

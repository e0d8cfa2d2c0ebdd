// jest's test environment in atg's runs (`testEnvironment`): jest's own node environment, told of
// every test by jest-circus (`handleTestEvent`, awaited before the test goes on), which drives
// probe.mjs. It runs in jest's own realm, outside the test file's context.
//
// A test to leave out is marked `skip` when it starts, so jest-circus reports it skipped, unrun.
import { createRequire } from 'node:module';
import { createProbe } from './probe.mjs';

const configFile = process.env.ATG_JS_CHILD;
const toolHome = process.env.ATG_JS_TOOLS;
const { TestEnvironment } = createRequire(`${toolHome}/package.json`)('jest-environment-node');
const ROOT = 'ROOT_DESCRIBE_BLOCK';
const TIMEOUT = /Exceeded timeout of \d+ ms for a (test|hook)/;
let probe = null; // one per process: jest runs one test file in it (--runInBand)

function titles(test) {
  const names = [test.name];
  for (let block = test.parent; block && block.name !== ROOT; block = block.parent) names.unshift(block.name);
  return names;
}

function text(error) {
  try {
    return String(Array.isArray(error) ? error[0]?.message ?? error[0] : error?.message ?? error);
  } catch {
    return '';
  }
}

export default class AtgJestEnvironment extends TestEnvironment {
  constructor(...args) {
    super(...args);
    probe ??= createProbe(configFile);
    this.atgIds = new WeakMap();
  }

  async handleTestEvent(event, state) {
    const { test } = event;
    if (event.name === 'test_start') {
      const id = probe.start(titles(test));
      this.atgIds.set(test, id);
      if (probe.skipReason(id) !== null) test.mode = 'skip';
    } else if (event.name === 'test_fn_failure' || event.name === 'hook_failure') {
      if (test && this.atgIds.has(test)) probe.fail(this.atgIds.get(test));
    } else if (['test_done', 'test_skip', 'test_todo'].includes(event.name)) {
      const id = this.atgIds.get(test);
      if (id === undefined) return;
      const errors = test.errors ?? [];
      probe.end(id, {
        passed: event.name === 'test_done' && errors.length === 0,
        skipped: event.name === 'test_skip',
        todo: event.name === 'test_todo',
        timed_out: errors.some((error) => TIMEOUT.test(text(error))),
      });
    }
    if (super.handleTestEvent) await super.handleTestEvent(event, state);
  }
}

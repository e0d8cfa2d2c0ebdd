// A node:test reporter (`--test-reporter`): node:test's own verdict on every test and suite,
// sent on the result channel. It prints nothing.
import { EXCLUDED_ERROR, TIMEOUT_ERROR, send, uniqueNames } from './channel.mjs';

const FAILURE_LINES = 12;
const FAILURE_CHARS = 4000;
const testsFile = process.argv[1] ?? '';
const testsName = testsFile.split('/').at(-1);

function text(value) {
  try {
    return String(value);
  } catch {
    return '(unprintable)';
  }
}

// The failure as a reader wants it: where in the test file it was thrown (`at test.js:10:5`),
// then the error's name and message (first lines; the last line says what went wrong).
export function describeFailure(error) {
  if (!error) return null;
  try {
    const cause = error.cause ?? error;
    if (cause === null || typeof cause !== 'object') return text(cause).slice(0, FAILURE_CHARS);
    const name = text(cause.name ?? 'Error');
    const code = cause.code && cause.code !== 'ERR_TEST_FAILURE' ? ` [${text(cause.code)}]` : '';
    const message = `${name}${code}: ${text(cause.message ?? '')}`.trimEnd();
    const lines = message.split('\n').slice(0, FAILURE_LINES);
    const frame = text(cause.stack ?? '')
      .split('\n')
      .find((line) => line.trim().startsWith('at ') && testsFile && line.includes(testsFile));
    const where = frame?.slice(frame.lastIndexOf(testsFile) + testsFile.length).match(/^:\d+:\d+/);
    if (where) lines.unshift(`at ${testsName}${where[0]}`);
    return lines.join('\n').slice(0, FAILURE_CHARS);
  } catch {
    return 'the test failed (its error could not be read)';
  }
}

function causeName(error) {
  try {
    return text(error?.cause?.name ?? '');
  } catch {
    return '';
  }
}

export default async function* atgReporter(source) {
  const nameOf = uniqueNames();
  const path = [];
  for await (const { type, data } of source) {
    if (type === 'test:start') {
      path.length = data.nesting;
      path.push(data.name);
    } else if (type === 'test:pass' || type === 'test:fail') {
      const fullName = [...path.slice(0, data.nesting), data.name].join(' > ');
      const suite = data.details?.type === 'suite';
      const error = data.details?.error;
      send({
        type: 'result',
        id: suite ? fullName : nameOf(fullName),
        suite,
        passed: type === 'test:pass',
        skipped: data.skip !== undefined && data.skip !== false,
        todo: data.todo !== undefined && data.todo !== false,
        duration_ms: Number(data.details?.duration_ms ?? 0),
        failure_type: error?.failureType ?? null,
        timed_out: causeName(error) === TIMEOUT_ERROR,
        stopped: causeName(error) === EXCLUDED_ERROR,
        failure: type === 'test:fail' ? describeFailure(error) : null,
      });
    }
  }
}

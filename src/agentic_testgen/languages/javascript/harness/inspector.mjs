// V8's precise block coverage in the test process itself, through an in-process inspector
// session (preload.mjs for node:test, probe.mjs for jest and vitest).
import { Session } from 'node:inspector';

/**
 * Start precise coverage (call counts, block detail) before the tests load; returns `post`,
 * which sends one inspector command and returns its answer (an in-process session answers
 * synchronously, so a window can be taken between two tests without yielding).
 */
export function startPreciseCoverage() {
  const session = new Session();
  session.connect();
  const post = (method, params) => {
    let failure = null;
    let answer = null;
    session.post(method, params, (error, result) => {
      failure = error;
      answer = result;
    });
    if (failure) throw failure;
    return answer;
  };
  post('Profiler.enable');
  post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  return post;
}

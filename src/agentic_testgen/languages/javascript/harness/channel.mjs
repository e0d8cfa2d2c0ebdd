// The test process's side of its result channel: JSON lines on descriptor 3, a pipe the
// supervisor reads. Every message is written synchronously, so the supervisor knows which test
// started even when that test then blocks the event loop forever.
import fs from 'node:fs';

const CHANNEL_FD = 3;
// bound before any test code runs: a test that replaces fs.writeSync does not reach these
const writeSync = fs.writeSync;
const wait = Atomics.wait;
const pause = new Int32Array(new SharedArrayBuffer(4));

export function send(message) {
  const data = Buffer.from(`${JSON.stringify(message)}\n`);
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(CHANNEL_FD, data, offset);
    } catch (error) {
      if (error?.code !== 'EAGAIN') throw error;
      wait(pause, 0, 0, 2); // the pipe is full: the supervisor is reading it
    }
  }
}

// Node ids: `<suite> > <test>` as node:test names them (TestContext.fullName); a name met again
// in the same file gets ` [2]`, ` [3]`... in the order the tests run.
export function uniqueNames() {
  const seen = new Map();
  return (fullName) => {
    const count = (seen.get(fullName) ?? 0) + 1;
    seen.set(fullName, count);
    return count === 1 ? fullName : `${fullName} [${count}]`;
  };
}

// The message of the error the harness throws into a test that ran past its time limit.
export const TIMEOUT_ERROR = 'AtgTestTimeout';
// The message of the error a test stopped in an earlier attempt fails with, unrun.
export const EXCLUDED_ERROR = 'AtgTestStopped';

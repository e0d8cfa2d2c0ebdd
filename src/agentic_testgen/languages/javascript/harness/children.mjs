// Test processes as the supervisors start and stop them: a child `node` in its own process group,
// its standard output and error kept as a tail for diagnostics, its result channel (descriptor 3,
// see channel.mjs) read line by line.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const TAIL_BYTES = 32 * 1024;
const SPAWN_ATTEMPTS = 5;

export function tail(buffer, chunk) {
  const joined = Buffer.concat([buffer, chunk]);
  return joined.length > TAIL_BYTES ? joined.subarray(joined.length - TAIL_BYTES) : joined;
}

export function describeExit(code, signal) {
  return signal ? `killed by ${signal}` : `exit status ${code}`;
}

function spawnOnce(node, args, cwd, env) {
  return new Promise((resolve) => {
    const child = spawn(node, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: true, // its own process group, killed whole
    });
    child.once('spawn', () => resolve({ child }));
    child.once('error', (error) => resolve({ error }));
  });
}

/** A started child (`{child}`), or why it could not start (`{error}`) after a few attempts. */
export async function spawnChild(node, args, { cwd, env }) {
  let spawned = { error: null };
  for (let attempt = 0; attempt < SPAWN_ATTEMPTS; attempt += 1) {
    spawned = await spawnOnce(node, args, cwd, env);
    if (spawned.child) break;
    await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
  }
  return spawned;
}

export function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Reads the child's result channel and output. `onLine` gets each complete line of the channel;
 * the returned object holds the output tails and `finish()`, which waits (at most 2 s) for the
 * streams to close after the child exited, destroys them and returns the unterminated last line
 * of the channel ('' when none).
 */
export function watchStreams(child, onLine) {
  const channel = child.stdio[3];
  const streams = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), finish: null };
  let pending = '';
  channel.on('data', (chunk) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop();
    for (const line of lines) if (line) onLine(line);
  });
  child.stdout.on('data', (chunk) => {
    streams.stdout = tail(streams.stdout, chunk);
  });
  child.stderr.on('data', (chunk) => {
    streams.stderr = tail(streams.stderr, chunk);
  });
  const all = [channel, child.stdout, child.stderr];
  const closed = Promise.all(all.map((stream) => new Promise((resolve) => stream.once('close', resolve))));
  streams.finish = async () => {
    let giveUp;
    await Promise.race([closed, new Promise((resolve) => { giveUp = setTimeout(resolve, 2000); })]);
    clearTimeout(giveUp);
    for (const stream of all) stream.destroy();
    return pending;
  };
  return streams;
}

// The report on this process's standard output after the run's key. Appended: a test that opened
// this output through /proc and wrote to it cannot have its text overwritten by the report, which
// would hide it from the host's check.
export function writeReport(key, report) {
  const data = Buffer.from(`${key}${JSON.stringify(report)}\n`);
  let fd = 1;
  try {
    fd = fs.openSync('/proc/self/fd/1', 'a');
  } catch {
    // no /proc: the descriptor as it is
  }
  let offset = 0;
  while (offset < data.length) offset += fs.writeSync(fd, data, offset);
}

// Characterization probe: load a module, call each export with boundary and type-derived
// inputs, and print what each call returned or threw, as JSON after a key on stdout.
// Usage: node probe.mjs MODULE_FILE KEY SEED MAX_CALLS_PER_EXPORT
import { pathToFileURL } from 'node:url';

import { readFileSync } from 'node:fs';

const [modulePath, key, seedText, maxText, seedsFile] = process.argv.slice(2);
const MAX_CALLS = Number(maxText) || 40;
const CALL_TIMEOUT_MS = 500;
const SEQUENCE_LENGTH = 6;
const SEQUENCE_ROUNDS = 6;

// a small seeded generator (mulberry32) so the same module gets the same calls
let state = (Number(seedText) || 1) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];

const NUMBERS = [0, 1, -1, 2, 3, 10, 100, 0.5, -2.5, 1e9, Number.MAX_SAFE_INTEGER, NaN, Infinity];
const STRINGS = ['', 'a', 'abc', 'Hello World', ' padded ', '42', '3.14', 'a,b,c', 'x'.repeat(64),
  'IV', 'MCMXCIV', '1.2.3', '$.a.b', 'a-b_c', 'ÄÖü', '\n'];
const ARRAYS = [[], [1], [1, 2, 3], [3, 1, 2], [-1, 0, 1], ['a', 'b'], [[1, 2], [3, 4]], [[1, 3], [2, 5]]];
// literals of the module's own source: the strings and numbers it compares with
const SEEDS = [];
if (seedsFile) {
  for (const line of readFileSync(seedsFile, 'utf8').split('\n')) {
    if (line.startsWith('S:')) SEEDS.push(line.slice(2).replace(/\\n/g, '\n'));
    else if (line.startsWith('N:') && Number.isFinite(Number(line.slice(2)))) SEEDS.push(Number(line.slice(2)));
  }
  STRINGS.push(...SEEDS.filter((seed) => typeof seed === 'string'));
  NUMBERS.push(...SEEDS.filter((seed) => typeof seed === 'number'));
}
// half the time one of the module's own literals (the values its branches compare with)
const draw = (pool) => {
  const seeded = pool.filter((item) => SEEDS.includes(item));
  return seeded.length && random() < 0.5 ? pick(seeded) : pick(pool);
};
const OBJECTS = [{}, { a: 1 }, { a: { b: 2 } }, { name: 'x', value: 1 }];
const OTHERS = [null, undefined, true, false];
const EVERYTHING = [...NUMBERS.slice(0, 8), ...STRINGS.slice(0, 6), ...ARRAYS.slice(0, 3), ...OBJECTS.slice(0, 2), ...OTHERS];

// what a parameter's name says about its type
const HINTS = [
  [/^(n|i|j|k|x|y|z|count|num|number|amount|value|min|max|lo|hi|low|high|start|end|size|limit|index|cents|capacity|times|attempts|delay|ms|base|radix|width|precision|places|factor|percent|rate|step)/i, NUMBERS],
  [/(str|text|name|s|word|line|input|path|expr|source|sep|separator|delimiter|char|prefix|suffix|pattern|version|key|label|currency|code|event|id)$/i, STRINGS],
  [/(s|list|items|array|arr|values|intervals|ranges|parts|args)$/i, ARRAYS],
  [/^(opts|options|config|settings|obj|object|data|record|map)/i, OBJECTS],
  [/^(is|has|should|flag|enabled|strict|inclusive)/i, [true, false]],
];

function poolFor(name) {
  const seedsFirst = (pool) => [...pool.filter((item) => SEEDS.includes(item)), ...pool.filter((item) => !SEEDS.includes(item))];
  for (const [pattern, pool] of HINTS) if (pattern.test(name)) return seedsFirst([...pool, ...OTHERS.slice(0, 2)]);
  return seedsFirst([...SEEDS, ...EVERYTHING]);
}

function parameterNames(fn) {
  const text = Function.prototype.toString.call(fn);
  const match = text.match(/^[^(]*\(([^)]*)\)/) || text.match(/^\s*(?:async\s*)?([A-Za-z_$][\w$]*)\s*=>/);
  if (!match) return [];
  return match[1].split(',').map((part) => part.trim().replace(/=.*$/, '').replace(/^\.\.\./, '').trim())
    .filter((part) => part && !part.startsWith('{') && !part.startsWith('['));
}

function isClass(fn) {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

// JavaScript source for a value, or undefined when it has none we can write
function source(value, depth = 0) {
  if (depth > 4) return undefined;
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'Infinity';
    if (value === -Infinity) return '-Infinity';
    if (Object.is(value, -0)) return '-0';
    return String(value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const parts = value.map((item) => source(item, depth + 1));
    return parts.includes(undefined) ? undefined : `[${parts.join(', ')}]`;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const parts = [];
    for (const [name, item] of Object.entries(value)) {
      const written = source(item, depth + 1);
      if (written === undefined) return undefined;
      parts.push(`${JSON.stringify(name)}: ${written}`);
    }
    return `{ ${parts.join(', ')} }`;
  }
  return undefined;
}

async function settle(call) {
  try {
    let result = call();
    if (result && typeof result.then === 'function') {
      let timer;
      const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('__atg_timeout__')), CALL_TIMEOUT_MS); });
      try { result = await Promise.race([result, timeout]); } finally { clearTimeout(timer); }
      return { awaited: true, ...observed(result) };
    }
    return observed(result);
  } catch (error) {
    if (error && error.message === '__atg_timeout__') return { skip: 'timeout' };
    const name = error && error.constructor && error.constructor.name;
    return {
      threw: typeof name === 'string' ? name : 'Error',
      name: error && typeof error.name === 'string' ? error.name : undefined,
      message: error && typeof error.message === 'string' ? error.message : String(error),
    };
  }
}

function observed(result) {
  const written = source(result);
  if (written !== undefined) return { value: written };
  if (result instanceof Map) return { kind: 'Map', size: result.size };
  if (result instanceof Set) return { kind: 'Set', size: result.size };
  if (typeof result === 'function') return { kind: 'function' };
  return { kind: typeof result };
}

function argumentsFor(names, count) {
  const pools = names.map(poolFor);
  const found = [];
  const seen = new Set();
  for (let attempt = 0; found.length < count && attempt < count * 5; attempt += 1) {
    // the first half of the calls walk each parameter in turn through its pool (the module's own
    // literals first) while the others are drawn; the rest are all drawn
    const walked = attempt % Math.max(pools.length, 1);
    const step = Math.floor(attempt / Math.max(pools.length, 1));
    const args = pools.map((pool, index) => (attempt < count / 2 && index === walked && step < pool.length ? pool[step] : draw(pool)));
    const written = args.map((arg) => source(arg));
    if (written.includes(undefined)) continue;
    const text = written.join(', ');
    if (seen.has(text)) continue;
    seen.add(text);
    found.push({ args, text });
  }
  if (!names.length) found.push({ args: [], text: '' });
  return found;
}

function methodsOf(cls) {
  const names = new Set();
  for (let proto = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && descriptor && typeof descriptor.value === 'function' && !name.startsWith('_')) names.add(name);
    }
  }
  return [...names];
}

async function probeFunction(exportName, fn, self = undefined) {
  const calls = [];
  for (const { args, text } of argumentsFor(parameterNames(fn), MAX_CALLS)) {
    const outcome = await settle(() => fn.apply(self, args));
    if (outcome.skip) continue;
    // a call that does not give the same twice (the clock, chance) is not asserted
    const again = await settle(() => fn.apply(self, args));
    if (JSON.stringify(again) !== JSON.stringify(outcome)) continue;
    calls.push({ args: text, ...outcome });
  }
  return { export: exportName, kind: 'function', calls };
}

function staticsOf(cls) {
  return Object.getOwnPropertyNames(cls).filter((name) => !['length', 'name', 'prototype'].includes(name)
    && !name.startsWith('_') && typeof Object.getOwnPropertyDescriptor(cls, name).value === 'function');
}

// a method sequence on a made instance, replayed on a second one: what differs is not asserted
async function sequence(make, methods) {
  let instance;
  try { instance = make(); } catch { return null; }
  const steps = [];
  for (let step = 0; step < SEQUENCE_LENGTH && methods.length; step += 1) {
    const method = pick(methods);
    const [call] = argumentsFor(parameterNames(instance[method]), 1 + Math.floor(random() * 3)).slice(-1);
    if (!call) continue;
    const outcome = await settle(() => instance[method](...call.args));
    if (outcome.skip) break;
    steps.push({ method, call, args: call.text, ...outcome });
    if (outcome.threw) break;
  }
  let twin;
  try { twin = make(); } catch { twin = undefined; }
  for (const step of steps) {
    const again = twin === undefined ? { skip: true } : await settle(() => twin[step.method](...step.call.args));
    const { method, call, args, ...outcome } = step;
    if (JSON.stringify(again) !== JSON.stringify(outcome)) {
      for (const key of Object.keys(outcome)) delete step[key];
      Object.assign(step, { method, args, unstable: true });
    }
    delete step.call;
  }
  return steps;
}

async function probeClass(exportName, cls) {
  const sequences = [];
  const methods = methodsOf(cls);
  // makers: the constructor, then static methods that return an instance (factories)
  const makers = [{ factory: null, names: parameterNames(cls), make: (args) => new cls(...args) }];
  const statics = [];
  for (const name of staticsOf(cls)) {
    const probed = await probeFunction(`${exportName}.${name}`, cls[name], cls);
    statics.push(probed);
    makers.push({ factory: name, names: parameterNames(cls[name]), make: (args) => cls[name](...args) });
  }
  for (const maker of makers) {
    for (const { args, text } of argumentsFor(maker.names, Math.max(8, Math.floor(MAX_CALLS / 2)))) {
      let made;
      const outcome = await settle(() => { made = maker.make(args); return undefined; });
      if (outcome.threw) {
        if (!maker.factory) sequences.push({ ctor: text, threw: outcome.threw, name: outcome.name, message: outcome.message, steps: [] });
        continue;
      }
      if (!(made instanceof cls)) break;  // not a factory
      for (let round = 0; round < SEQUENCE_ROUNDS; round += 1) {
        const steps = await sequence(() => maker.make(args), methods);
        if (steps === null) break;
        sequences.push({ ctor: text, factory: maker.factory, steps });
      }
    }
  }
  return { export: exportName, kind: 'class', sequences, statics };
}

const loaded = await import(pathToFileURL(modulePath).href);
const esm = /\.mjs$/.test(modulePath);
const surface = !esm && loaded.default !== undefined ? loaded.default : loaded;
const entries = typeof surface === 'function' ? [['default', surface]] : Object.entries(surface || {});
const exports = [];
for (const [name, value] of entries) {
  if (name === 'default' && esm && typeof value !== 'function') continue;
  if (isClass(value)) exports.push(await probeClass(name, value));
  else if (typeof value === 'function') exports.push(await probeFunction(name, value));
}
process.stdout.write(key + JSON.stringify({ cjs: !esm, callable: typeof surface === 'function', exports }));
process.exit(0);

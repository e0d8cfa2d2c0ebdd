// Characterization probe: load a module, call each export with boundary and type-derived
// inputs, and print what each call returned or threw, as JSON after a key on stdout.
// Usage: node probe.mjs MODULE_FILE KEY SEED MAX_CALLS_PER_EXPORT
import { pathToFileURL } from 'node:url';

import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const [modulePath, key, seedText, maxText, seedsFile] = process.argv.slice(2);
const MAX_CALLS = Number(maxText) || 40;
const CALL_TIMEOUT_MS = 500;
const SEQUENCE_LENGTH = 6;
const SEQUENCE_ROUNDS = 6;
const SEQUENCE_BUDGET = 120;

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
// functions for parameters that take one, each made from the source a test can write
const FUNCTION_SOURCES = new WeakMap();
const CALLBACKS = [
  '() => undefined', '(value) => value', '() => true', '() => false', '(...args) => args.length',
  '(a, b) => (a < b ? -1 : a > b ? 1 : 0)', "() => { throw new Error('callback failed'); }",
  'async (value) => value', "async () => { throw new Error('callback failed'); }",
  // fails while its first argument (an attempt number, a count) is below 2, then gives it back
  "(n) => { if (n < 2) throw new Error(`failed ${n}`); return n; }",
].map((text) => {
  const made = (0, eval)(`(${text})`);
  FUNCTION_SOURCES.set(made, text);
  return made;
});
// literals of the module's own source: the strings and numbers it compares with
const SEEDS = [];
const SHAPES = [];
const OWN = new Map();
const MIXED = [];
if (seedsFile) {
  for (const line of readFileSync(seedsFile, 'utf8').split('\n')) {
    if (line.startsWith('S:')) SEEDS.push(line.slice(2).replace(/\\n/g, '\n'));
    else if (line.startsWith('M:')) MIXED.push(line.slice(2).replace(/\\n/g, '\n'));
    else if (line.startsWith('N:') && Number.isFinite(Number(line.slice(2)))) SEEDS.push(Number(line.slice(2)));
    else if (line.startsWith('O:')) SHAPES.push(line.slice(2).split(',').filter(Boolean));
    else if (line.startsWith('F:')) {
      // a function's own literals: F:name:S:text or F:name:N:number
      const [, name, kind, ...rest] = line.split(':');
      const text = rest.join(':');
      const value = kind === 'N' ? Number(text) : text.replace(/\\n/g, '\n');
      if (kind === 'S' || Number.isFinite(value)) OWN.set(name, [...OWN.get(name) ?? [], value]);
    }
  }
  SEEDS.push(...MIXED);
  STRINGS.push(...SEEDS.filter((seed) => typeof seed === 'string'));
  ARRAYS.push(MIXED.slice(0, 3), [null, ...MIXED.slice(3, 5)]);
  // each whole number the code compares with, and one either side of it
  const bounds = SEEDS.filter((seed) => typeof seed === 'number' && Number.isInteger(seed)).flatMap((n) => [n - 1, n + 1]);
  NUMBERS.push(...SEEDS.filter((seed) => typeof seed === 'number'), ...bounds.filter((n) => !NUMBERS.includes(n)));
}
// half the time one of the module's own literals (the values its branches compare with)
const draw = (pool) => {
  const seeded = pool.filter((item) => SEEDS.includes(item));
  return seeded.length && random() < 0.5 ? pick(seeded) : pick(pool);
};
const OBJECTS = [{}, { a: 1 }, { a: { b: 2 } }, { name: 'x', value: 1 }];
const OTHERS = [null, undefined, true, false];

// what a parameter's name says about its type
const HINTS = [
  [/^(fn|func|callback|cb|task|listener|handler|predicate|compare|comparator|mapper|reducer|on[A-Z_]|should|sleep|now|clock|jitter|action|job|transform|visit|resolve|reject|hook|getter|setter)|(Fn|Callback|Handler|Listener|Hook)$/, CALLBACKS],
  [/(list|items|array|arr|values|intervals|ranges|parts|args|entries|rows|elements)$/i, ARRAYS],
  [/^([nijkxyz]|[nijkxyz]\d|[nijkxyz][A-Z]\w*)$|^(count|num|number|amount|value|min|max|lo|hi|low|high|start|end|size|limit|index|cents|capacity|times|attempts|delay|ms|base|radix|width|precision|places|factor|percent|rate|step|retry|retries|timeout|deadline|initial)/i, NUMBERS],
  [/(str|text|name|s|word|line|input|path|expr|source|sep|separator|delimiter|char|prefix|suffix|pattern|version|key|label|currency|code|event|id|range|part|type|mode|unit)$/i, STRINGS],
  [/(s|list|items|array|arr|values|intervals|ranges|parts|args)$/i, ARRAYS],
  [/^(opts|options|config|settings|obj|object|data|record|map)/i, OBJECTS],
  [/^(is|has|should|flag|enabled|strict|inclusive|trim|adjacent|once|all|force|deep)/i, [true, false]],
];
const seedsFirst = (pool) => [...pool.filter((item) => SEEDS.includes(item)), ...pool.filter((item) => !SEEDS.includes(item))];

// objects of the shapes the module reads (`{ start, end }`), each key given the module's own
// strings (those its patterns match first) or values its name suggests: one object with every
// key on the first string, one spreading the first three, two drawn
const SHAPED = [];
for (const keys of SHAPES) {
  const strings = SEEDS.filter((seed) => typeof seed === 'string');
  for (let variant = 0; variant < 4; variant += 1) {
    const made = {};
    keys.forEach((key, index) => {
      const hinted = HINTS.find(([pattern]) => pattern.test(key));
      const own = hinted ? hinted[1] : [...strings, ...NUMBERS.slice(0, 4)];
      if (variant === 0 && strings.length) made[key] = strings[0];
      else if (variant === 1 && strings.length) made[key] = strings[index % Math.min(3, strings.length)];
      else made[key] = random() < 0.5 && strings.length ? pick(strings.slice(0, 6)) : pick(own);
    });
    SHAPED.push(made);
  }
}
OBJECTS.unshift(...SHAPED);
// lists of them: one, the same twice, two different, three
for (let index = 0; index < SHAPED.length; index += 4) {
  const [first, second, third, fourth] = SHAPED.slice(index, index + 4);
  ARRAYS.unshift([first], [first, first], [first, second], [fourth, third, first]);
}
const EVERYTHING = [...NUMBERS.slice(0, 8), ...STRINGS.slice(0, 6), ...ARRAYS.slice(0, 3), ...OBJECTS.slice(0, 2), ...OTHERS];

// instances of the module's own classes, each made afresh for every call that takes one
const INSTANCES = [];
const MAX_INSTANCES = 4;
const CLASS_NAMES = [];
const fresh = (args) => args.map((arg) => (INSTANCES.includes(arg) ? arg.make() : arg));

function poolFor(name) {
  // a parameter named for another instance, or for one of the module's classes
  const named = (made) => /^(other|that|another)$/i.test(name) || name.toLowerCase() === made.cls.toLowerCase();
  if (INSTANCES.some(named)) return [...INSTANCES.filter(named), ...OTHERS.slice(0, 2)];
  for (const [pattern, pool] of HINTS) if (pattern.test(name)) return seedsFirst([...pool, ...OTHERS.slice(0, 2)]);
  return seedsFirst([...SEEDS, ...EVERYTHING]);
}

// the pool for a parameter or destructured key with a default: what the default is
function poolForDefault(name, text) {
  if (text === undefined) return poolFor(name);
  const written = text.trim();
  // a number: the default, zero and below zero first (where validation turns)
  if (/^[-+]?(\d[\d_]*\.?\d*(e[-+]?\d+)?|\.\d+)$/i.test(written)) return [...new Set([Number(written.replace(/_/g, '')), 0, -1, ...seedsFirst(NUMBERS)])];
  if (/^(['"])(?:\\.|(?!\1).)*\1$/.test(written)) {
    // strings as long as the default first (a delimiter takes one character)
    const fallback = (0, eval)(written);
    const alike = STRINGS.filter((text) => text.length === fallback.length);
    return [...new Set([fallback, ...seedsFirst(alike), ...seedsFirst(STRINGS)])];
  }
  if (written === 'true' || written === 'false') return [true, false];
  if (/=>|^(async\s+)?function\b/.test(written)) return CALLBACKS;
  if (written.startsWith('{')) return OBJECTS;
  if (written.startsWith('[')) return ARRAYS;
  if (HINTS.some(([pattern]) => pattern.test(name)) || /^(null|undefined)$/.test(written)) return poolFor(name);
  // a name the module defines (a function, a constant): either kind
  return [...CALLBACKS.slice(0, 4), ...poolFor(name)];
}

function skipQuoted(text, at) {
  const quote = text[at];
  for (at += 1; at < text.length && text[at] !== quote; at += 1) if (text[at] === '\\') at += 1;
  return at;
}

function skipComment(text, at) {
  if (text[at + 1] === '/') return text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
  return text[at + 1] === '*' ? text.indexOf('*/', at) + 1 : at;
}

// the index of the bracket closing the one at `open`, skipping strings and comments
function closing(text, open) {
  let depth = 0;
  for (let at = open; at < text.length; at += 1) {
    const ch = text[at];
    if (ch === '"' || ch === "'" || ch === '`') at = skipQuoted(text, at);
    else if (ch === '/') at = skipComment(text, at);
    else if ('([{'.includes(ch)) depth += 1;
    else if (')]}'.includes(ch) && (depth -= 1) === 0) return at;
  }
  return text.length;
}

// `text` split at the commas (or, with '=', at the first assignment) outside brackets and strings
function splitTop(text, separator = ',') {
  const parts = [];
  let from = 0;
  for (let at = 0; at < text.length; at += 1) {
    const ch = text[at];
    if (ch === '"' || ch === "'" || ch === '`') at = skipQuoted(text, at);
    else if (ch === '/') at = skipComment(text, at);
    else if ('([{'.includes(ch)) at = closing(text, at);
    else if (ch === separator && (separator === ',' || !'=>'.includes(text[at + 1]) && !'=!<>'.includes(text[at - 1]))) {
      parts.push(text.slice(from, at));
      from = at + 1;
      if (separator === '=') break;
    }
  }
  parts.push(text.slice(from));
  return parts.map((part) => part.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '').trim());
}

// the text between a function's (or a class constructor's) parentheses
function parameterText(fn) {
  let text = Function.prototype.toString.call(fn);
  if (isClass(fn)) {
    const at = text.search(/\bconstructor\s*\(/);
    if (at < 0) {
      const parent = Object.getPrototypeOf(fn);
      return isClass(parent) ? parameterText(parent) : '';
    }
    text = text.slice(at);
  }
  const single = text.match(/^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/);
  if (single) return single[1];
  const open = text.indexOf('(');
  return open < 0 ? '' : text.slice(open + 1, closing(text, open));
}

// what each parameter takes: a value, an object of named keys (a destructured parameter), or
// the rest of the arguments
function parameterSpecs(fn, name = fn.name) {
  // the function's own literals go first, each where the pool holds values of its type
  const own = (pool) => (OWN.get(name) ?? []).filter((value) => pool.some((item) => typeof item === typeof value));
  return splitTop(parameterText(fn)).filter(Boolean).map((part) => {
    if (part.startsWith('...')) return { kind: 'rest', pool: [[], [1], ['a'], ['a', 2]] };
    const [left, right] = splitTop(part, '=');
    if (left.startsWith('{')) {
      const keys = splitTop(left.slice(1, -1)).filter((key) => key && !key.startsWith('...')).map((key) => {
        const [named, fallback] = splitTop(key, '=');
        const [name, alias] = splitTop(named, ':');
        if (alias && /^[{[]/.test(alias)) return { name, pool: OBJECTS };
        // a key of data (no default) may be any of the module's strings (a date its pattern
        // checks) whatever its name says
        const own = fallback === undefined ? SEEDS.filter((seed) => typeof seed === 'string').slice(0, 4) : [];
        return { name, pool: [...new Set([...own, ...poolForDefault(name, fallback)])] };
      });
      return { kind: 'object', keys };
    }
    if (left.startsWith('[')) return { kind: 'value', name: left, pool: ARRAYS };
    const pool = poolForDefault(left, right);
    return { kind: 'value', name: left, pool, own: own(pool) };
  });
}

function isClass(fn) {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

// JavaScript source for a value, or undefined when it has none we can write
function source(value, depth = 0) {
  if (depth > 4) return undefined;
  // a function by its place among the callbacks, which the test file declares (one object, as
  // in the probe, wherever the test uses it twice)
  if (INSTANCES.includes(value)) return value.text;
  if (typeof value === 'function') return CALLBACKS.includes(value) ? `__atgCallback${CALLBACKS.indexOf(value)}__` : undefined;
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

// the replay of a call runs on a clock that moves a minute at each reading, so what depends on
// the time (a deadline, a timestamp) differs between the two runs and is not asserted
const realNow = Date.now;
function skewed(run) {
  let readings = 0;
  const restore = () => { Date.now = realNow; };
  Date.now = () => realNow() + 60_000 * (readings += 1);
  let result;
  try { result = run(); } catch (error) { restore(); throw error; }
  if (result && typeof result.then === 'function') return result.finally(restore);
  restore();
  return result;
}

// a call runs under a watchdog (node's vm timeout), so a loop that never ends is stopped
const watched = vm.createContext({ call: null });
const watchedCall = new vm.Script('call()');
function runWatched(call) {
  watched.call = call;
  try {
    return watchedCall.runInContext(watched, { timeout: CALL_TIMEOUT_MS });
  } catch (error) {
    if (error && error.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new Error('__atg_timeout__');
    throw error;
  } finally {
    watched.call = null;
  }
}

async function settle(call) {
  let awaited = false;
  try {
    let result = runWatched(call);
    if (result && typeof result.then === 'function') {
      awaited = true;
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
      ...(awaited ? { awaited: true } : {}),
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

const OMITTED = Symbol('omitted');

// one pool per value to choose: a parameter, each key of a destructured one, the rest
function leavesOf(specs) {
  return specs.flatMap((spec, index) => (spec.kind === 'object'
    ? spec.keys.map((key) => ({ index, key: key.name, pool: key.pool }))
    : [{ index, pool: [...new Set([...spec.own ?? [], ...spec.pool])], own: spec.own ?? [], rest: spec.kind === 'rest' }]));
}

// the call the leaves' values make (keys left out where OMITTED), or null
function assemble(specs, leaves, chosen) {
  const args = specs.map((spec) => (spec.kind === 'object' ? {} : undefined));
  const rest = [];
  leaves.forEach((leaf, index) => {
    if (leaf.rest) rest.push(...chosen[index]);
    else if (leaf.key === undefined) args[leaf.index] = chosen[index];
    else if (chosen[index] !== OMITTED) args[leaf.index][leaf.key] = chosen[index];
  });
  if (specs.at(-1)?.kind === 'rest') args.pop();
  const call = makeCall([...args, ...rest]);
  return call && { ...call, chosen };
}

function argumentsFor(specs, count) {
  const leaves = leavesOf(specs);
  const found = [];
  const seen = new Set();
  // room for each value to take at least three of its own, however many there are
  const walking = Math.max(Math.floor(count / 2), leaves.length * 3);
  count = Math.max(count, walking + Math.floor(count / 2));
  for (let attempt = 0; found.length < count && attempt < count * 5 && leaves.length; attempt += 1) {
    // the first half of the calls walk each value in turn through its pool (the module's own
    // literals first) while the others are drawn (keys of an options object mostly left
    // out); the rest are all drawn
    const walked = attempt % leaves.length;
    const step = Math.floor(attempt / leaves.length);
    const chosen = leaves.map((leaf, index) => {
      if (attempt < walking && index === walked && step < leaf.pool.length) return leaf.pool[step];
      if (leaf.key !== undefined && random() < 0.6) return OMITTED;
      if (leaf.own?.length && random() < 0.4) return pick(leaf.own);
      const strings = leaf.pool.some((item) => typeof item === 'string');
      return strings && ACCEPTED.length && random() < 0.3 ? pick(ACCEPTED) : draw(leaf.pool);
    });
    const call = assemble(specs, leaves, chosen);
    if (!call || seen.has(call.text)) continue;
    seen.add(call.text);
    found.push(call);
  }
  if (!leaves.length) found.push({ args: [], text: '', chosen: [] });
  return found;
}

// calls one value away from `base` (a call that returned): each value in turn through the
// first AROUND of its pool while the others keep theirs, so every branch a single value
// decides is tried from a point where the others are valid
const AROUND = 10;
function around(specs, base) {
  const leaves = leavesOf(specs);
  const found = [];
  leaves.forEach((leaf, index) => {
    for (const value of leaf.pool.slice(0, AROUND)) {
      const chosen = [...base.chosen];
      chosen[index] = value;
      const call = assemble(specs, leaves, chosen);
      if (call) found.push(call);
    }
  });
  return found;
}

// the arguments and the source that writes them, or null when one has no source
function makeCall(args) {
  const written = args.map((arg) => source(arg));
  return written.includes(undefined) ? null : { args, text: written.join(', ') };
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

// strings a function accepted where it rejected others (a version its parser took): what
// validates there is likely what the next function needs, so later calls draw them too
const ACCEPTED = [];
const MAX_ACCEPTED = 12;

async function probeFunction(exportName, fn, self = undefined) {
  const calls = [];
  const returned = [];
  const specs = parameterSpecs(fn);
  const seen = new Set();
  const bases = [];
  const tried = async (call) => {
    if (seen.has(call.text)) return;
    seen.add(call.text);
    const outcome = await settle(() => fn.apply(self, fresh(call.args)));
    if (outcome.skip) return;
    // a call that does not give the same twice (the clock, chance) is not asserted
    const again = await skewed(() => settle(() => fn.apply(self, fresh(call.args))));
    if (JSON.stringify(again) !== JSON.stringify(outcome)) return;
    calls.push({ args: call.text, ...outcome });
    if (!outcome.threw) {
      returned.push(...call.args.filter((arg) => typeof arg === 'string' && arg));
      // up to two calls that returned different values are the points to vary around
      if (bases.length < 2 && !bases.some((base) => base.value === outcome.value)) bases.push({ ...call, value: outcome.value });
    }
  };
  for (const call of argumentsFor(specs, MAX_CALLS)) await tried(call);
  if (bases.length < 2) {
    // few calls returned: start also from the strings other functions accepted
    const leaves = leavesOf(specs);
    for (const accepted of ACCEPTED.slice(0, 3)) {
      const chosen = leaves.map((leaf) => (leaf.pool.some((item) => typeof item === 'string') ? accepted : leaf.pool[0]));
      const synthetic = assemble(specs, leaves, chosen);
      if (synthetic) bases.push(synthetic);
    }
  }
  for (const base of [...bases]) for (const call of around(specs, base)) await tried(call);
  if (calls.some((call) => call.threw)) {
    for (const text of returned) {
      if (ACCEPTED.length < MAX_ACCEPTED && !ACCEPTED.includes(text)) ACCEPTED.push(text);
    }
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
  const used = [];
  for (let step = 0; step < SEQUENCE_LENGTH && methods.length; step += 1) {
    const method = pick(methods);
    const options = argumentsFor(parameterSpecs(instance[method], method), 3);
    if (!options.length) continue;
    // half the time an argument an earlier step took (the same key, event, listener), so that
    // what one method stores another finds
    const call = makeCall(pick(options).args.map((arg) => {
      const earlier = used.filter((value) => typeof value === typeof arg && value !== arg && value != null);
      return earlier.length && random() < 0.5 ? pick(earlier) : arg;
    }));
    if (!call) continue;
    used.push(...call.args.filter((arg) => !used.includes(arg)));
    const outcome = await settle(() => instance[method](...fresh(call.args)));
    if (outcome.skip) break;
    steps.push({ method, call, args: call.text, ...outcome });
  }
  let twin;
  try { twin = skewed(make); } catch { twin = undefined; }
  for (const step of steps) {
    const again = twin === undefined ? { skip: true } : await skewed(() => settle(() => twin[step.method](...fresh(step.call.args))));
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
  const makers = [{ factory: null, specs: parameterSpecs(cls, 'constructor'), make: (args) => new cls(...args) }];
  const statics = [];
  for (const name of staticsOf(cls)) {
    makers.push({ factory: name, specs: parameterSpecs(cls[name], name), make: (args) => cls[name](...args) });
  }
  // a few instances first, for the methods (of this class and later ones) that take one
  const target = exportName === 'default' && typeof surface === 'function' ? 'subject' : `subject.${exportName}`;
  for (const maker of makers) {
    for (const { args, text } of argumentsFor(maker.specs, 8)) {
      if (INSTANCES.filter((made) => made.cls === cls.name).length >= MAX_INSTANCES) break;
      let made;
      const outcome = await settle(() => { made = maker.make(fresh(args)); return undefined; });
      if (outcome.threw || !(made instanceof cls)) continue;
      const written = maker.factory ? `${target}.${maker.factory}(${text})` : `new ${target}(${text})`;
      INSTANCES.push({ cls: cls.name, text: written, make: () => maker.make(fresh(args)) });
    }
  }
  for (const name of staticsOf(cls)) {
    statics.push(await probeFunction(`${exportName}.${name}`, cls[name], cls));
  }
  for (const maker of makers) {
    const made = argumentsFor(maker.specs, Math.max(8, Math.floor(MAX_CALLS / 2)));
    // about SEQUENCE_BUDGET sequences per maker, however many ways there are to make one
    const rounds = Math.max(2, Math.min(SEQUENCE_ROUNDS, Math.ceil(SEQUENCE_BUDGET / made.length)));
    for (const { args, text } of made) {
      let made;
      const outcome = await settle(() => { made = maker.make(fresh(args)); return undefined; });
      if (outcome.threw) {
        if (!maker.factory) sequences.push({ ctor: text, threw: outcome.threw, name: outcome.name, message: outcome.message, steps: [] });
        continue;
      }
      if (!(made instanceof cls)) break;  // not a factory
      for (let round = 0; round < rounds; round += 1) {
        const steps = await sequence(() => maker.make(fresh(args)), methods);
        if (steps === null) break;
        sequences.push({ ctor: text, factory: maker.factory, steps });
      }
    }
  }
  return { export: exportName, kind: 'class', sequences, statics };
}

// a promise an async callback rejects that the module never awaits is not the probe's failure
process.on('unhandledRejection', () => {});
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
// exit once the report is written: a pipe takes large writes in parts, after write() returns
const callbacks = CALLBACKS.map((fn) => FUNCTION_SOURCES.get(fn));
process.stdout.write(key + JSON.stringify({ cjs: !esm, callable: typeof surface === 'function', exports, callbacks }), () => process.exit(0));

// Semantic versions: parse, compare (with pre-release precedence), bump and match ranges
// such as '^1.2.0', '~1.4.1' or '>=1.0.0 <2.0.0'.

const VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-.]+))?$/;

export function parse(text) {
  const match = typeof text === 'string' ? VERSION.exec(text.trim()) : null;
  if (!match) {
    throw new TypeError(`invalid version: ${JSON.stringify(text)}`);
  }
  const [, major, minor, patch, pre, build] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    prerelease: pre ? pre.split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [],
    build: build ?? null,
  };
}

function compareIdentifiers(a, b) {
  const aNumber = typeof a === 'number';
  const bNumber = typeof b === 'number';
  if (aNumber && bNumber) return Math.sign(a - b);
  if (aNumber) return -1; // numeric identifiers sort before alphanumeric ones
  if (bNumber) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// -1, 0 or 1. Build metadata is ignored; a pre-release sorts before its release.
export function compare(left, right) {
  const a = typeof left === 'string' ? parse(left) : left;
  const b = typeof right === 'string' ? parse(right) : right;
  for (const key of ['major', 'minor', 'patch']) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return Math.sign(b.prerelease.length - a.prerelease.length);
  }
  const length = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < length; i += 1) {
    if (a.prerelease[i] === undefined) return -1;
    if (b.prerelease[i] === undefined) return 1;
    const order = compareIdentifiers(a.prerelease[i], b.prerelease[i]);
    if (order !== 0) return order;
  }
  return 0;
}

export function increment(text, part) {
  const { major, minor, patch } = parse(text);
  switch (part) {
    case 'major':
      return `${major + 1}.0.0`;
    case 'minor':
      return `${major}.${minor + 1}.0`;
    case 'patch':
      return `${major}.${minor}.${patch + 1}`;
    default:
      throw new RangeError(`unknown part: ${part}`);
  }
}

function caretUpper({ major, minor, patch }) {
  if (major > 0) return `${major + 1}.0.0`;
  if (minor > 0) return `0.${minor + 1}.0`;
  return `0.0.${patch + 1}`;
}

function comparators(token) {
  if (token === '*') return [];
  if (token.startsWith('^')) {
    const low = token.slice(1);
    return [['>=', low], ['<', `${caretUpper(parse(low))}-0`]];
  }
  if (token.startsWith('~')) {
    const low = token.slice(1);
    const { major, minor } = parse(low);
    return [['>=', low], ['<', `${major}.${minor + 1}.0-0`]];
  }
  const match = /^(>=|<=|>|<|=)?(.+)$/.exec(token);
  parse(match[2]);
  return [[match[1] ?? '=', match[2]]];
}

const TESTS = {
  '>=': (order) => order >= 0,
  '<=': (order) => order <= 0,
  '>': (order) => order > 0,
  '<': (order) => order < 0,
  '=': (order) => order === 0,
};

// Every comparator of the range must hold. A pre-release only satisfies a range that names a
// pre-release of the same major.minor.patch (so '^1.0.0' does not match '2.0.0-rc.1').
export function satisfies(version, range) {
  const parsed = parse(version);
  const tokens = range.trim().split(/\s+/);
  const all = tokens.flatMap(comparators);
  if (parsed.prerelease.length > 0) {
    const allowed = all.some(([, bound]) => {
      const b = parse(bound);
      return (
        b.prerelease.length > 0 &&
        b.prerelease[0] !== 0 &&
        b.major === parsed.major &&
        b.minor === parsed.minor &&
        b.patch === parsed.patch
      );
    });
    if (!allowed) return false;
  }
  return all.every(([operator, bound]) => TESTS[operator](compare(parsed, parse(bound))));
}

'use strict';
// Read values out of nested objects and arrays with paths like 'users[0].name'.

class PathError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PathError';
  }
}

// 'a.b[2]["x.y"]' -> ['a', 'b', 2, 'x.y']
function parsePath(path) {
  if (typeof path !== 'string' || path === '') {
    throw new PathError('path must be a non-empty string');
  }
  const steps = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]|(\.)/gy;
  let expectName = true;
  let match;
  while (pattern.lastIndex < path.length) {
    const at = pattern.lastIndex;
    match = pattern.exec(path);
    if (match === null) {
      throw new PathError(`unexpected ${JSON.stringify(path[at])} at ${at}`);
    }
    const [, name, index, quoted, dot] = match;
    if (dot !== undefined) {
      if (expectName) throw new PathError(`empty step at ${at}`);
      expectName = true;
    } else if (name !== undefined) {
      if (!expectName) throw new PathError(`missing '.' before ${JSON.stringify(name)}`);
      steps.push(name);
      expectName = false;
    } else {
      steps.push(index !== undefined ? Number(index) : quoted);
      expectName = false;
    }
  }
  if (expectName) {
    throw new PathError('path ends with a dot');
  }
  return steps;
}

function lookup(data, path) {
  let value = data;
  for (const step of parsePath(path)) {
    if (value === null || typeof value !== 'object') {
      return { found: false };
    }
    if (typeof step === 'number' && !Array.isArray(value)) {
      return { found: false };
    }
    if (!Object.prototype.hasOwnProperty.call(value, step)) {
      return { found: false };
    }
    value = value[step];
  }
  return { found: true, value };
}

function get(data, path, fallback = undefined) {
  const result = lookup(data, path);
  return result.found ? result.value : fallback;
}

function has(data, path) {
  return lookup(data, path).found;
}

module.exports = { PathError, parsePath, get, has };

const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { PathError, parsePath, get, has } = require('./jsonPath');

const DATA = {
  users: [
    { name: 'ada', tags: ['admin'], manager: null },
    { name: 'bob', tags: [] },
  ],
  'odd.key': { value: 7 },
  count: 0,
};

describe('parsePath', () => {
  test('splits names, indexes and quoted keys', () => {
    assert.deepEqual(parsePath('users[1].name'), ['users', 1, 'name']);
    assert.deepEqual(parsePath('["odd.key"].value'), ['odd.key', 'value']);
    assert.deepEqual(parsePath('a[0][1]'), ['a', 0, 1]);
  });

  test('rejects malformed paths', () => {
    assert.throws(() => parsePath(''), PathError);
    assert.throws(() => parsePath(3), PathError);
    assert.throws(() => parsePath('a..b'), { name: 'PathError', message: 'empty step at 2' });
    assert.throws(() => parsePath('.a'), /empty step at 0/);
    assert.throws(() => parsePath('a.'), /ends with a dot/);
    assert.throws(() => parsePath('a[x]'), /unexpected "\[" at 1/);
    assert.throws(() => parsePath('a[0]b'), /missing '\.' before "b"/);
  });
});

describe('get', () => {
  test('follows names and indexes', () => {
    assert.equal(get(DATA, 'users[0].name'), 'ada');
    assert.equal(get(DATA, 'users[0].tags[0]'), 'admin');
    assert.equal(get(DATA, '["odd.key"].value'), 7);
  });

  test('falsy values are found, not replaced by the fallback', () => {
    assert.equal(get(DATA, 'count', 99), 0);
    assert.equal(get(DATA, 'users[0].manager', 'none'), null);
  });

  test('missing paths give the fallback', () => {
    assert.equal(get(DATA, 'users[5].name', '?'), '?');
    assert.equal(get(DATA, 'users[0].manager.name', '?'), '?');
    assert.equal(get(DATA, 'users.name'), undefined);
    assert.equal(get(DATA, 'count[0]', '?'), '?');
  });

  test('an index on an object is not a key lookup', () => {
    assert.equal(get({ 0: 'zero' }, '[0]', 'no'), 'no');
  });

  test('inherited properties are not found', () => {
    assert.equal(get({}, 'toString', 'own only'), 'own only');
  });
});

test('has tells whether a path exists', () => {
  assert.equal(has(DATA, 'users[1].tags'), true);
  assert.equal(has(DATA, 'users[1].manager'), false);
});

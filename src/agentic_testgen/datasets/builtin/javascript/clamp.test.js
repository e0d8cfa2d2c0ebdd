const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { clamp, inRange, wrap } = require('./clamp');

describe('clamp', () => {
  test('keeps values inside the range', () => {
    assert.equal(clamp(5, 0, 10), 5);
  });

  test('moves values outside the range to the nearest bound', () => {
    assert.equal(clamp(-3, 0, 10), 0);
    assert.equal(clamp(42, 0, 10), 10);
  });

  test('bounds themselves are inside', () => {
    assert.equal(clamp(0, 0, 10), 0);
    assert.equal(clamp(10, 0, 10), 10);
  });

  test('rejects reversed bounds', () => {
    assert.throws(() => clamp(1, 10, 0), RangeError);
  });

  test('rejects non-numeric bounds and NaN', () => {
    assert.throws(() => clamp(1, '0', 10), TypeError);
    assert.throws(() => clamp(1, 0, Number.NaN), TypeError);
    assert.throws(() => clamp(Number.NaN, 0, 10), /NaN/);
  });
});

describe('inRange', () => {
  test('is inclusive by default', () => {
    assert.equal(inRange(10, 0, 10), true);
    assert.equal(inRange(11, 0, 10), false);
    assert.equal(inRange(-1, 0, 10), false);
  });

  test('exclusive ranges leave out the bounds', () => {
    assert.equal(inRange(10, 0, 10, { inclusive: false }), false);
    assert.equal(inRange(0, 0, 10, { inclusive: false }), false);
    assert.equal(inRange(5, 0, 10, { inclusive: false }), true);
  });
});

describe('wrap', () => {
  test('wraps values above and below the range', () => {
    assert.equal(wrap(370, 0, 360), 10);
    assert.equal(wrap(-1, 0, 360), 359);
    assert.equal(wrap(360, 0, 360), 0);
  });

  test('works with an offset range', () => {
    assert.equal(wrap(13, 10, 13), 10);
    assert.equal(wrap(9, 10, 13), 12);
  });

  test('an empty range cannot wrap', () => {
    assert.throws(() => wrap(3, 5, 5), { name: 'RangeError', message: 'empty range' });
  });
});

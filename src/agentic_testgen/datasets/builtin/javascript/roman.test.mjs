import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { toRoman, fromRoman, isRoman } from './roman.mjs';

describe('toRoman', () => {
  test('uses subtractive pairs', () => {
    assert.equal(toRoman(4), 'IV');
    assert.equal(toRoman(9), 'IX');
    assert.equal(toRoman(1994), 'MCMXCIV');
  });

  test('covers the limits of the range', () => {
    assert.equal(toRoman(1), 'I');
    assert.equal(toRoman(3999), 'MMMCMXCIX');
  });

  test('rejects numbers outside 1..3999 and non-integers', () => {
    assert.throws(() => toRoman(0), RangeError);
    assert.throws(() => toRoman(4000), /outside 1\.\.3999/);
    assert.throws(() => toRoman(2.5), TypeError);
  });
});

describe('fromRoman', () => {
  test('reads canonical numerals in any case', () => {
    assert.equal(fromRoman('MCMXCIV'), 1994);
    assert.equal(fromRoman('xlii'), 42);
  });

  test('every number survives a round trip', () => {
    for (let n = 1; n <= 3999; n += 37) {
      assert.equal(fromRoman(toRoman(n)), n);
    }
  });

  test('rejects unknown letters with their position', () => {
    assert.throws(() => fromRoman('XIZ'), { name: 'SyntaxError', message: 'invalid numeral "Z" at 2' });
  });

  test('rejects non-canonical forms', () => {
    assert.throws(() => fromRoman('IIII'), /not a canonical/);
    assert.throws(() => fromRoman('VX'), SyntaxError);
    assert.throws(() => fromRoman('MMMM'), SyntaxError);
  });

  test('rejects empty and non-string input', () => {
    assert.throws(() => fromRoman(''), TypeError);
    assert.throws(() => fromRoman(12), TypeError);
  });
});

test('isRoman answers without throwing', () => {
  assert.equal(isRoman('XIV'), true);
  assert.equal(isRoman('IC'), false);
});

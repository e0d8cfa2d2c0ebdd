const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { capitalize, titleCase, slugify, truncate, countWords } = require('./textUtils');

describe('capitalize and titleCase', () => {
  test('capitalize upper-cases only the first letter', () => {
    assert.equal(capitalize('hello world'), 'Hello world');
    assert.equal(capitalize(''), '');
  });

  test('titleCase capitalizes every word and keeps repeated spaces', () => {
    assert.equal(titleCase('the QUICK  fox'), 'The Quick  Fox');
  });

  test('non-strings are rejected', () => {
    assert.throws(() => capitalize(42), { name: 'TypeError', message: 'text must be a string' });
    assert.throws(() => titleCase(null), TypeError);
  });
});

describe('slugify', () => {
  test('lower-cases, drops accents and punctuation', () => {
    assert.equal(slugify('Héllo, World!'), 'hello-world');
  });

  test('collapses separators at the edges and in the middle', () => {
    assert.equal(slugify('  --Node.js 20 -- release  '), 'node-js-20-release');
  });

  test('a custom separator', () => {
    assert.equal(slugify('Snake Case Me', '_'), 'snake_case_me');
  });
});

describe('truncate', () => {
  test('short text is unchanged', () => {
    assert.equal(truncate('short', 10), 'short');
    assert.equal(truncate('exact', 5), 'exact');
  });

  test('long text ends with the ellipsis within the limit', () => {
    assert.equal(truncate('The quick brown fox', 10), 'The qui...');
    assert.equal(truncate('The quick brown fox', 7), 'The...');
  });

  test('a custom ellipsis and a limit shorter than it', () => {
    assert.equal(truncate('abcdef', 4, '~'), 'abc~');
    assert.equal(truncate('abcdef', 2), '..');
  });

  test('a bad limit is rejected', () => {
    assert.throws(() => truncate('abc', -1), RangeError);
    assert.throws(() => truncate('abc', 1.5), RangeError);
  });
});

describe('countWords', () => {
  test('counts words separated by any whitespace', () => {
    assert.equal(countWords(' one two\tthree\nfour '), 4);
  });

  test('blank text has no words', () => {
    assert.equal(countWords('   '), 0);
    assert.equal(countWords(''), 0);
  });
});

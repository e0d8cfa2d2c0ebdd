const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { CsvError, parseLine, formatLine } = require('./csvLine');

describe('parseLine', () => {
  test('splits plain fields', () => {
    assert.deepEqual(parseLine('a,b,c'), ['a', 'b', 'c']);
  });

  test('empty line and empty fields', () => {
    assert.deepEqual(parseLine(''), ['']);
    assert.deepEqual(parseLine(',x,'), ['', 'x', '']);
  });

  test('quoted fields keep delimiters and doubled quotes', () => {
    assert.deepEqual(parseLine('x,"a, ""b""",y'), ['x', 'a, "b"', 'y']);
    assert.deepEqual(parseLine('""'), ['']);
  });

  test('a custom delimiter', () => {
    assert.deepEqual(parseLine('1;"2;3";4', { delimiter: ';' }), ['1', '2;3', '4']);
  });

  test('trim strips unquoted fields and blanks around quotes only', () => {
    assert.deepEqual(parseLine(' a , " b " ,c ', { trim: true }), ['a', ' b ', 'c']);
    assert.deepEqual(parseLine(' a , b', { trim: false }), [' a ', ' b']);
  });

  test('an unterminated quote is an error at the end of the line', () => {
    assert.throws(() => parseLine('a,"open'), (error) => {
      assert.ok(error instanceof CsvError);
      assert.equal(error.column, 7);
      assert.match(error.message, /unterminated quoted field at column 7/);
      return true;
    });
  });

  test('a quote inside an unquoted field is an error', () => {
    assert.throws(() => parseLine('ab"c'), { name: 'CsvError', column: 2 });
  });

  test('text after a closing quote is an error', () => {
    assert.throws(() => parseLine('"a"b,c'), /unexpected "b" after a closing quote at column 3/);
    assert.throws(() => parseLine('"a" ,c'), CsvError);
  });

  test('a bad delimiter is rejected', () => {
    assert.throws(() => parseLine('a', { delimiter: '"' }), TypeError);
    assert.throws(() => parseLine('a', { delimiter: '::' }), TypeError);
    assert.throws(() => parseLine('a', { delimiter: 9 }), TypeError);
  });
});

describe('formatLine', () => {
  test('quotes only the fields that need it', () => {
    assert.equal(formatLine(['a', 'b,c', 'say "hi"', ' pad', null, 3]), 'a,"b,c","say ""hi"""," pad",,3');
  });

  test('round-trips through parseLine', () => {
    const values = ['x;y', '"', '', 'plain'];
    assert.deepEqual(parseLine(formatLine(values, { delimiter: ';' }), { delimiter: ';' }), values);
  });
});

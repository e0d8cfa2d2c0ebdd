const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { mergeIntervals, totalDays, gaps, toDay } = require('./intervals');

const iv = (start, end) => ({ start, end });

describe('toDay', () => {
  test('counts days since 1970-01-01', () => {
    assert.equal(toDay('1970-01-02'), 1);
  });

  test('rejects malformed and impossible dates', () => {
    assert.throws(() => toDay('2024-3-1'), TypeError);
    assert.throws(() => toDay(20240301), TypeError);
    assert.throws(() => toDay('2023-02-29'), { name: 'RangeError', message: 'no such date: 2023-02-29' });
    assert.throws(() => toDay('2024-13-01'), RangeError);
  });

  test('accepts leap days', () => {
    assert.equal(toDay('2024-03-01') - toDay('2024-02-28'), 2);
  });
});

describe('mergeIntervals', () => {
  test('merges overlapping intervals given in any order', () => {
    const merged = mergeIntervals([iv('2024-01-10', '2024-01-20'), iv('2024-01-01', '2024-01-12')]);
    assert.deepEqual(merged, [iv('2024-01-01', '2024-01-20')]);
  });

  test('a contained interval does not shorten the one around it', () => {
    const merged = mergeIntervals([iv('2024-01-01', '2024-01-31'), iv('2024-01-05', '2024-01-06')]);
    assert.deepEqual(merged, [iv('2024-01-01', '2024-01-31')]);
  });

  test('touching intervals merge unless adjacent is false', () => {
    const touching = [iv('2024-01-01', '2024-01-31'), iv('2024-02-01', '2024-02-10')];
    assert.deepEqual(mergeIntervals(touching), [iv('2024-01-01', '2024-02-10')]);
    assert.deepEqual(mergeIntervals(touching, { adjacent: false }), touching);
  });

  test('separate intervals stay apart, across a year end', () => {
    const apart = [iv('2024-12-30', '2025-01-02'), iv('2025-01-05', '2025-01-05')];
    assert.deepEqual(mergeIntervals(apart), apart);
  });

  test('intervals starting on the same day merge into the longest', () => {
    const merged = mergeIntervals([iv('2024-05-01', '2024-05-09'), iv('2024-05-01', '2024-05-03')], { adjacent: false });
    assert.deepEqual(merged, [iv('2024-05-01', '2024-05-09')]);
  });

  test('an interval ending before it starts is rejected', () => {
    assert.throws(() => mergeIntervals([iv('2024-02-02', '2024-02-01')]), /ends before it starts/);
  });

  test('no intervals merge to none', () => {
    assert.deepEqual(mergeIntervals([]), []);
  });
});

test('totalDays counts each covered day once', () => {
  assert.equal(totalDays([iv('2024-02-27', '2024-03-01'), iv('2024-02-29', '2024-03-02')]), 5);
  assert.equal(totalDays([]), 0);
});

describe('gaps', () => {
  test('finds the uncovered days inside a window', () => {
    const covered = [iv('2024-01-03', '2024-01-04'), iv('2024-01-08', '2024-01-20')];
    assert.deepEqual(gaps(covered, iv('2024-01-01', '2024-01-10')), [
      iv('2024-01-01', '2024-01-02'),
      iv('2024-01-05', '2024-01-07'),
    ]);
  });

  test('intervals outside the window are ignored and the tail is a gap', () => {
    const covered = [iv('2023-12-01', '2023-12-20'), iv('2024-01-01', '2024-01-02')];
    assert.deepEqual(gaps(covered, iv('2024-01-01', '2024-01-05')), [iv('2024-01-03', '2024-01-05')]);
  });

  test('a fully covered window has no gaps', () => {
    assert.deepEqual(gaps([iv('2024-01-01', '2024-12-31')], iv('2024-06-01', '2024-06-30')), []);
  });
});

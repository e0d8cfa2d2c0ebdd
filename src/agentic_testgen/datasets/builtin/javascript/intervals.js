'use strict';
// Merge date intervals given as ISO dates ('2024-03-01'); both ends are included.
// Dates are handled as whole UTC days, so no time zone or clock is involved.

const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toDay(text) {
  const match = typeof text === 'string' ? ISO_DATE.exec(text) : null;
  if (!match) {
    throw new TypeError(`not an ISO date: ${JSON.stringify(text)}`);
  }
  const [year, month, day] = match.slice(1).map(Number);
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new RangeError(`no such date: ${text}`);
  }
  return time / DAY_MS;
}

function fromDay(day) {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function normalize({ start, end }) {
  const from = toDay(start);
  const to = toDay(end);
  if (to < from) {
    throw new RangeError(`interval ends before it starts: ${start}..${end}`);
  }
  return [from, to];
}

// Overlapping intervals merge; with `adjacent`, so do intervals that touch (one ends the day
// before the next starts).
function mergeIntervals(intervals, { adjacent = true } = {}) {
  const days = intervals.map(normalize).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged = [];
  const reach = adjacent ? 1 : 0;
  for (const [from, to] of days) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + reach) {
      last[1] = Math.max(last[1], to);
    } else {
      merged.push([from, to]);
    }
  }
  return merged.map(([from, to]) => ({ start: fromDay(from), end: fromDay(to) }));
}

function totalDays(intervals) {
  return mergeIntervals(intervals).reduce((sum, { start, end }) => sum + toDay(end) - toDay(start) + 1, 0);
}

// The days inside `within` that no interval covers.
function gaps(intervals, within) {
  const [low, high] = normalize(within);
  const result = [];
  let cursor = low;
  for (const { start, end } of mergeIntervals(intervals)) {
    const from = Math.max(toDay(start), low);
    const to = Math.min(toDay(end), high);
    if (from > to) continue;
    if (from > cursor) {
      result.push({ start: fromDay(cursor), end: fromDay(from - 1) });
    }
    cursor = Math.max(cursor, to + 1);
  }
  if (cursor <= high) {
    result.push({ start: fromDay(cursor), end: fromDay(high) });
  }
  return result;
}

module.exports = { mergeIntervals, totalDays, gaps, toDay };

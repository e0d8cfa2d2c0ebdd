// Roman numerals between 1 and 3999, both ways, in their canonical (subtractive) form.

const NUMERALS = [
  [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'],
  [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'],
  [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
];

const VALUES = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

export function toRoman(number) {
  if (!Number.isInteger(number)) {
    throw new TypeError('expected an integer');
  }
  if (number < 1 || number > 3999) {
    throw new RangeError(`${number} is outside 1..3999`);
  }
  let rest = number;
  let out = '';
  for (const [value, symbol] of NUMERALS) {
    while (rest >= value) {
      out += symbol;
      rest -= value;
    }
  }
  return out;
}

export function fromRoman(text) {
  if (typeof text !== 'string' || text.length === 0) {
    throw new TypeError('expected a non-empty string');
  }
  const upper = text.toUpperCase();
  let total = 0;
  for (let i = 0; i < upper.length; i += 1) {
    const value = VALUES[upper[i]];
    if (value === undefined) {
      throw new SyntaxError(`invalid numeral ${JSON.stringify(text[i])} at ${i}`);
    }
    const next = VALUES[upper[i + 1]] ?? 0;
    total += value < next ? -value : value;
  }
  // IIII, VX or IC add up to a number but are not how it is written
  if (total < 1 || total > 3999 || toRoman(total) !== upper) {
    throw new SyntaxError(`${text} is not a canonical Roman numeral`);
  }
  return total;
}

export function isRoman(text) {
  try {
    fromRoman(text);
    return true;
  } catch {
    return false;
  }
}

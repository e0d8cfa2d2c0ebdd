// Money as a whole number of minor units (cents) in one currency: exact parsing, arithmetic
// that refuses to mix currencies, multiplication with an explicit rounding mode, and
// allocation by ratios that never loses or creates a cent.

const CURRENCIES = { USD: 2, EUR: 2, GBP: 2, JPY: 0, KWD: 3 };
const ROUNDING = ['half-up', 'half-even', 'down', 'up', 'floor', 'ceiling'];
const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

export class MoneyError extends Error {
  constructor(message) {
    super(message);
    this.name = 'MoneyError';
  }
}

export class CurrencyMismatchError extends MoneyError {
  constructor(left, right) {
    super(`cannot combine ${left} with ${right}`);
    this.name = 'CurrencyMismatchError';
  }
}

// A decimal text or number as digits / 10^scale, both BigInt.
function parseDecimal(value) {
  const text = typeof value === 'number' ? String(value) : value;
  const match = typeof text === 'string' ? DECIMAL.exec(text.trim()) : null;
  if (!match) {
    throw new MoneyError(`not a decimal number: ${JSON.stringify(value)}`);
  }
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let digits = BigInt(whole + fraction);
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: sign === '-' ? -digits : digits, scale: BigInt(scale) };
}

// numerator / denominator (denominator > 0) rounded to an integer.
function roundDiv(numerator, denominator, mode) {
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const negative = numerator < 0n;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  const away = negative ? quotient - 1n : quotient + 1n;
  switch (mode) {
    case 'down':
      return quotient;
    case 'up':
      return away;
    case 'floor':
      return negative ? away : quotient;
    case 'ceiling':
      return negative ? quotient : away;
    case 'half-up':
      return twice >= denominator ? away : quotient;
    default: // half-even
      if (twice !== denominator) return twice > denominator ? away : quotient;
      return quotient % 2n === 0n ? quotient : away;
  }
}

function checkRounding(mode) {
  if (!ROUNDING.includes(mode)) {
    throw new MoneyError(`unknown rounding mode ${mode}; use one of ${ROUNDING.join(', ')}`);
  }
}

export class Money {
  constructor(minor, currency) {
    if (!Object.hasOwn(CURRENCIES, currency)) {
      throw new MoneyError(`unknown currency ${currency}`);
    }
    if (!Number.isSafeInteger(minor)) {
      throw new MoneyError(`amount out of range: ${minor}`);
    }
    this.minor = minor;
    this.currency = currency;
    Object.freeze(this);
  }

  static fromMinor(minor, currency) {
    return new Money(minor, currency);
  }

  // Money.of('12.345', 'USD') throws; Money.of('12.345', 'USD', 'half-even') is 12.34 USD.
  static of(amount, currency, rounding = null) {
    if (rounding !== null) checkRounding(rounding);
    const decimals = BigInt(CURRENCIES[currency] ?? 0);
    const { digits, scale } = parseDecimal(amount);
    let minor;
    if (scale <= decimals) {
      minor = digits * 10n ** (decimals - scale);
    } else if (rounding === null) {
      throw new MoneyError(`${amount} has more decimals than ${currency} allows; give a rounding mode`);
    } else {
      minor = roundDiv(digits, 10n ** (scale - decimals), rounding);
    }
    return new Money(Number(minor), currency);
  }

  get decimals() {
    return CURRENCIES[this.currency];
  }

  sameCurrency(other) {
    if (!(other instanceof Money)) {
      throw new TypeError('expected Money');
    }
    if (other.currency !== this.currency) {
      throw new CurrencyMismatchError(this.currency, other.currency);
    }
  }

  add(other) {
    this.sameCurrency(other);
    return new Money(this.minor + other.minor, this.currency);
  }

  subtract(other) {
    this.sameCurrency(other);
    return new Money(this.minor - other.minor, this.currency);
  }

  negate() {
    return new Money(-this.minor, this.currency);
  }

  multiply(factor, rounding = 'half-even') {
    checkRounding(rounding);
    const { digits, scale } = parseDecimal(factor);
    const minor = roundDiv(BigInt(this.minor) * digits, 10n ** scale, rounding);
    return new Money(Number(minor), this.currency);
  }

  // Split by ratios, e.g. [1, 1, 1] or [70, 30]. The cents that do not divide evenly go one
  // each to the shares with the largest remainders (the earlier share on a tie).
  allocate(ratios) {
    if (!Array.isArray(ratios) || ratios.length === 0) {
      throw new MoneyError('give at least one ratio');
    }
    if (ratios.some((r) => !Number.isInteger(r) || r < 0)) {
      throw new MoneyError('ratios must be non-negative integers');
    }
    const total = ratios.reduce((sum, r) => sum + r, 0);
    if (total === 0) {
      throw new MoneyError('ratios must not all be zero');
    }
    const sign = this.minor < 0 ? -1 : 1;
    const amount = Math.abs(this.minor);
    const shares = ratios.map((ratio, index) => ({
      index,
      minor: Math.floor((amount * ratio) / total),
      remainder: (amount * ratio) % total,
    }));
    let left = amount - shares.reduce((sum, share) => sum + share.minor, 0);
    const byRemainder = [...shares].sort((a, b) => b.remainder - a.remainder || a.index - b.index);
    for (const share of byRemainder) {
      if (left === 0) break;
      share.minor += 1;
      left -= 1;
    }
    return shares.map((share) => new Money(sign * share.minor, this.currency));
  }

  compare(other) {
    this.sameCurrency(other);
    return Math.sign(this.minor - other.minor);
  }

  equals(other) {
    return other instanceof Money && other.currency === this.currency && other.minor === this.minor;
  }

  isZero() {
    return this.minor === 0;
  }

  // '-1,234.50 USD'
  toString() {
    const digits = String(Math.abs(this.minor)).padStart(this.decimals + 1, '0');
    const whole = digits.slice(0, digits.length - this.decimals).replace(/\B(?=(\d{3})+$)/g, ',');
    const fraction = this.decimals > 0 ? `.${digits.slice(digits.length - this.decimals)}` : '';
    return `${this.minor < 0 ? '-' : ''}${whole}${fraction} ${this.currency}`;
  }
}

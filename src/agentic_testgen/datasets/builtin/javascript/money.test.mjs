import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Money, MoneyError, CurrencyMismatchError } from './money.mjs';

const usd = (amount) => Money.of(amount, 'USD');

describe('creating money', () => {
  test('parses decimal text exactly into minor units', () => {
    assert.equal(usd('12.34').minor, 1234);
    assert.equal(usd('-0.5').minor, -50);
    assert.equal(usd(7).minor, 700);
    assert.equal(Money.of('1.5e2', 'JPY').minor, 150);
    assert.equal(Money.of('1.234', 'KWD').minor, 1234);
  });

  test('too many decimals need a rounding mode', () => {
    assert.throws(() => usd('0.125'), /more decimals than USD allows/);
    assert.equal(Money.of('0.125', 'USD', 'half-even').minor, 12);
    assert.equal(Money.of('0.125', 'USD', 'half-up').minor, 13);
    assert.equal(Money.of('12.5', 'JPY', 'down').minor, 12);
  });

  test('rejects unknown currencies, bad numbers and huge amounts', () => {
    assert.throws(() => Money.of('1', 'XYZ'), { name: 'MoneyError', message: 'unknown currency XYZ' });
    assert.throws(() => usd('1.2.3'), /not a decimal number/);
    assert.throws(() => usd(null), MoneyError);
    assert.throws(() => Money.fromMinor(0.5, 'USD'), /out of range/);
    assert.throws(() => usd('1e20'), /out of range/);
    assert.throws(() => Money.of('1', 'USD', 'nearest'), /unknown rounding mode nearest/);
  });

  test('money is immutable', () => {
    const price = usd('1.00');
    assert.throws(() => {
      price.minor = 5;
    }, TypeError);
  });
});

describe('arithmetic', () => {
  test('adds, subtracts and negates in one currency', () => {
    assert.equal(usd('0.10').add(usd('0.20')).toString(), '0.30 USD');
    assert.equal(usd('1').subtract(usd('2.5')).toString(), '-1.50 USD');
    assert.equal(usd('3').negate().minor, -300);
  });

  test('refuses to mix currencies', () => {
    const euros = Money.of('1', 'EUR');
    assert.throws(() => usd('1').add(euros), CurrencyMismatchError);
    assert.throws(() => usd('1').subtract(euros), { message: 'cannot combine USD with EUR' });
    assert.throws(() => usd('1').compare(euros), MoneyError);
    assert.throws(() => usd('1').add(100), TypeError);
  });

  test('multiplies with exact decimals and half-even rounding by default', () => {
    assert.equal(usd('19.99').multiply(3).minor, 5997);
    assert.equal(usd('0.10').multiply(0.3).minor, 3);
    assert.equal(Money.fromMinor(5, 'USD').multiply('0.5').minor, 2);
    assert.equal(Money.fromMinor(15, 'USD').multiply('0.5').minor, 8);
    assert.equal(Money.fromMinor(1, 'USD').multiply('1e-1').minor, 0);
  });

  test('every rounding mode, for positive and negative amounts', () => {
    const cases = {
      'half-up': [3, -3, 2, -2],
      'half-even': [2, -2, 2, -2],
      down: [2, -2, 2, -2],
      up: [3, -3, 3, -3],
      floor: [2, -3, 2, -3],
      ceiling: [3, -2, 3, -2],
    };
    for (const [mode, expected] of Object.entries(cases)) {
      const got = [25, -25, 21, -21].map((minor) => Money.fromMinor(minor, 'USD').multiply('0.1', mode).minor);
      assert.deepEqual(got, expected, mode);
    }
    assert.equal(Money.fromMinor(27, 'USD').multiply('0.1', 'half-even').minor, 3);
    assert.equal(Money.fromMinor(35, 'USD').multiply('0.1', 'half-even').minor, 4);
  });
});

describe('allocate', () => {
  test('splits evenly and gives leftover cents to the first shares', () => {
    assert.deepEqual(usd('0.10').allocate([1, 1, 1]).map((m) => m.minor), [4, 3, 3]);
  });

  test('leftover cents go to the largest remainders', () => {
    assert.deepEqual(usd('1.00').allocate([1, 2, 3]).map((m) => m.minor), [17, 33, 50]);
  });

  test('negative amounts split the same way with the sign kept', () => {
    assert.deepEqual(usd('-0.05').allocate([1, 1]).map((m) => m.minor), [-3, -2]);
  });

  test('a zero ratio gets nothing and the parts add up', () => {
    const parts = usd('100.01').allocate([70, 0, 30]);
    assert.deepEqual(parts.map((m) => m.minor), [7001, 0, 3000]);
    assert.equal(parts.reduce((sum, m) => sum.add(m)).minor, 10001);
  });

  test('rejects empty, negative, fractional or all-zero ratios', () => {
    assert.throws(() => usd('1').allocate([]), /at least one ratio/);
    assert.throws(() => usd('1').allocate('1:1'), MoneyError);
    assert.throws(() => usd('1').allocate([1, -1]), /non-negative integers/);
    assert.throws(() => usd('1').allocate([0.5, 0.5]), MoneyError);
    assert.throws(() => usd('1').allocate([0, 0]), /not all be zero/);
  });
});

describe('comparison and formatting', () => {
  test('compare and equals', () => {
    assert.equal(usd('1').compare(usd('2')), -1);
    assert.equal(usd('2').compare(usd('1')), 1);
    assert.equal(usd('1').compare(usd('1.00')), 0);
    assert.equal(usd('1').equals(usd('1.00')), true);
    assert.equal(usd('1').equals(Money.of('1', 'EUR')), false);
    assert.equal(usd('1').equals({ minor: 100, currency: 'USD' }), false);
    assert.equal(usd('0').isZero(), true);
    assert.equal(usd('0.01').isZero(), false);
  });

  test('toString groups thousands and pads cents', () => {
    assert.equal(usd('-1234567.5').toString(), '-1,234,567.50 USD');
    assert.equal(usd('0.05').toString(), '0.05 USD');
    assert.equal(Money.of('1000', 'JPY').toString(), '1,000 JPY');
    assert.equal(Money.of('0.005', 'KWD').toString(), '0.005 KWD');
    assert.equal(Money.of('1', 'KWD').decimals, 3);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parse, compare, increment, satisfies } from './semver.mjs';

describe('parse', () => {
  test('reads the three numbers, pre-release and build', () => {
    assert.deepEqual(parse('v1.2.3-beta.11+sha.5114f85'), {
      major: 1,
      minor: 2,
      patch: 3,
      prerelease: ['beta', 11],
      build: 'sha.5114f85',
    });
    assert.deepEqual(parse(' 0.0.1 ').prerelease, []);
  });

  test('rejects leading zeros, missing parts and non-strings', () => {
    assert.throws(() => parse('01.2.3'), TypeError);
    assert.throws(() => parse('1.2'), /invalid version: "1\.2"/);
    assert.throws(() => parse(123), TypeError);
  });
});

describe('compare', () => {
  test('orders by major, minor, then patch', () => {
    assert.equal(compare('1.2.3', '1.10.0'), -1);
    assert.equal(compare('2.0.0', '1.99.99'), 1);
    assert.equal(compare('1.2.4', '1.2.3'), 1);
  });

  test('build metadata is ignored', () => {
    assert.equal(compare('1.0.0+a', '1.0.0+b'), 0);
  });

  test('follows the pre-release precedence chain', () => {
    const chain = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ];
    for (let i = 0; i + 1 < chain.length; i += 1) {
      assert.equal(compare(chain[i], chain[i + 1]), -1, `${chain[i]} < ${chain[i + 1]}`);
      assert.equal(compare(chain[i + 1], chain[i]), 1, `${chain[i + 1]} > ${chain[i]}`);
    }
    assert.equal(compare('1.0.0-rc.1', '1.0.0-rc.1'), 0);
  });

  test('accepts parsed versions', () => {
    assert.equal(compare(parse('1.0.0'), '1.0.0'), 0);
  });
});

describe('increment', () => {
  test('bumps one part and resets the ones after it', () => {
    assert.equal(increment('1.2.3-rc.1', 'major'), '2.0.0');
    assert.equal(increment('1.2.3', 'minor'), '1.3.0');
    assert.equal(increment('1.2.3', 'patch'), '1.2.4');
  });

  test('rejects an unknown part', () => {
    assert.throws(() => increment('1.2.3', 'build'), RangeError);
  });
});

describe('satisfies', () => {
  test('caret ranges allow changes that do not modify the left-most non-zero part', () => {
    assert.equal(satisfies('1.9.0', '^1.2.3'), true);
    assert.equal(satisfies('2.0.0', '^1.2.3'), false);
    assert.equal(satisfies('0.2.9', '^0.2.3'), true);
    assert.equal(satisfies('0.3.0', '^0.2.3'), false);
    assert.equal(satisfies('0.0.3', '^0.0.3'), true);
    assert.equal(satisfies('0.0.4', '^0.0.3'), false);
  });

  test('tilde ranges allow patch changes', () => {
    assert.equal(satisfies('1.4.9', '~1.4.1'), true);
    assert.equal(satisfies('1.5.0', '~1.4.1'), false);
    assert.equal(satisfies('1.4.0', '~1.4.1'), false);
  });

  test('comparators combine with and', () => {
    assert.equal(satisfies('1.5.0', '>=1.0.0 <2.0.0'), true);
    assert.equal(satisfies('2.0.0', '>=1.0.0 <2.0.0'), false);
    assert.equal(satisfies('1.0.0', '>1.0.0'), false);
    assert.equal(satisfies('1.0.0', '<=1.0.0'), true);
    assert.equal(satisfies('1.0.1', '=1.0.0'), false);
    assert.equal(satisfies('1.0.0', '1.0.0'), true);
    assert.equal(satisfies('7.1.0', '*'), true);
  });

  test('pre-releases match only ranges naming the same version with a pre-release', () => {
    assert.equal(satisfies('2.0.0-rc.1', '^1.0.0'), false);
    assert.equal(satisfies('1.2.3-beta.2', '>=1.2.3-beta.1'), true);
    assert.equal(satisfies('1.2.3-beta.2', '^1.2.3-beta.1'), true);
    assert.equal(satisfies('1.2.4-beta.2', '>=1.2.3-beta.1'), false);
  });

  test('a range with a bad version is an error', () => {
    assert.throws(() => satisfies('1.0.0', '>=one'), TypeError);
  });
});

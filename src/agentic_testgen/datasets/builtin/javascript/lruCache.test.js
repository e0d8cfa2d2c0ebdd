const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { LRUCache } = require('./lruCache');

describe('LRUCache', () => {
  test('evicts the least recently used entry', () => {
    const cache = new LRUCache(2);
    cache.set('a', 1).set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    assert.equal(cache.has('b'), false);
    assert.deepEqual(cache.keys(), ['c', 'a']);
    assert.equal(cache.size, 2);
  });

  test('setting an existing key refreshes it without eviction', () => {
    const cache = new LRUCache(2);
    cache.set('a', 1).set('b', 2).set('a', 10);
    assert.deepEqual(cache.keys(), ['a', 'b']);
    assert.equal(cache.get('a'), 10);
  });

  test('peek does not change recency or statistics', () => {
    const cache = new LRUCache(2);
    cache.set('a', 1).set('b', 2);
    assert.equal(cache.peek('a'), 1);
    cache.set('c', 3);
    assert.equal(cache.has('a'), false);
    assert.equal(cache.hitRate(), 0);
  });

  test('the eviction hook gets the evicted key and value', () => {
    const evicted = [];
    const cache = new LRUCache(1, { onEvict: (key, value) => evicted.push([key, value]) });
    cache.set('a', 1).set('b', 2).set('c', 3);
    assert.deepEqual(evicted, [['a', 1], ['b', 2]]);
  });

  test('misses return the fallback and count in the hit rate', () => {
    const cache = new LRUCache(3);
    cache.set('a', 1);
    assert.equal(cache.get('x', 'none'), 'none');
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.hitRate(), 2 / 3);
  });

  test('delete and clear', () => {
    const cache = new LRUCache(3);
    cache.set('a', 1).set('b', 2);
    cache.get('a');
    assert.equal(cache.delete('a'), true);
    assert.equal(cache.delete('a'), false);
    cache.clear();
    assert.equal(cache.size, 0);
    assert.equal(cache.hits, 0);
    assert.equal(cache.hitRate(), 0);
  });

  test('rejects a bad capacity or hook', () => {
    assert.throws(() => new LRUCache(0), RangeError);
    assert.throws(() => new LRUCache(1.5), RangeError);
    assert.throws(() => new LRUCache(2, { onEvict: 'log' }), TypeError);
  });
});

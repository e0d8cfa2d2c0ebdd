'use strict';
// A least-recently-used cache with a fixed capacity, hit statistics and an eviction hook.

class LRUCache {
  constructor(capacity, { onEvict = null } = {}) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('capacity must be a positive integer');
    }
    if (onEvict !== null && typeof onEvict !== 'function') {
      throw new TypeError('onEvict must be a function');
    }
    this.capacity = capacity;
    this.onEvict = onEvict;
    this.entries = new Map(); // insertion order is recency order: oldest first
    this.hits = 0;
    this.misses = 0;
  }

  get size() {
    return this.entries.size;
  }

  has(key) {
    return this.entries.has(key);
  }

  get(key, fallback = undefined) {
    if (!this.entries.has(key)) {
      this.misses += 1;
      return fallback;
    }
    const value = this.entries.get(key);
    this.entries.delete(key);
    this.entries.set(key, value);
    this.hits += 1;
    return value;
  }

  // Read without touching recency or statistics.
  peek(key) {
    return this.entries.get(key);
  }

  set(key, value) {
    if (this.entries.has(key)) {
      this.entries.delete(key);
    }
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const [oldestKey, oldestValue] = this.entries.entries().next().value;
      this.entries.delete(oldestKey);
      if (this.onEvict) {
        this.onEvict(oldestKey, oldestValue);
      }
    }
    return this;
  }

  delete(key) {
    return this.entries.delete(key);
  }

  clear() {
    this.entries.clear();
    this.hits = 0;
    this.misses = 0;
  }

  // Keys from most to least recently used.
  keys() {
    return [...this.entries.keys()].reverse();
  }

  hitRate() {
    const lookups = this.hits + this.misses;
    return lookups === 0 ? 0 : this.hits / lookups;
  }
}

module.exports = { LRUCache };

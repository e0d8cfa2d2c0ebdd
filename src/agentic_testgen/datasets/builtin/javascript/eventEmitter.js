'use strict';
// An event emitter: listeners with priorities, once-listeners, a '*' listener that sees every
// event, a per-event listener limit reported through a warning hook, and 'error' events that
// throw when nobody listens.

class EventEmitter {
  constructor({ maxListeners = 10, onWarning = null } = {}) {
    if (!Number.isInteger(maxListeners) || maxListeners < 0) {
      throw new RangeError('maxListeners must be a non-negative integer (0: no limit)');
    }
    this.maxListeners = maxListeners;
    this.onWarning = onWarning;
    this.listeners = new Map(); // event -> [{ fn, once, priority, order }]
    this.added = 0;
    this.warned = new Set();
  }

  on(event, fn, { once = false, priority = 0 } = {}) {
    if (typeof fn !== 'function') {
      throw new TypeError('listener must be a function');
    }
    const list = this.listeners.get(event) ?? [];
    list.push({ fn, once, priority, order: this.added++ });
    // higher priority first; equal priorities keep the order they were added in
    list.sort((a, b) => b.priority - a.priority || a.order - b.order);
    this.listeners.set(event, list);
    if (this.maxListeners > 0 && list.length > this.maxListeners && !this.warned.has(event)) {
      this.warned.add(event);
      if (this.onWarning) {
        this.onWarning(`${list.length} listeners for ${String(event)} (limit ${this.maxListeners})`);
      }
    }
    return () => this.off(event, fn);
  }

  once(event, fn, options = {}) {
    return this.on(event, fn, { ...options, once: true });
  }

  // Remove one registration of fn (the first in call order), or every listener of the event
  // when fn is not given. True when something was removed.
  off(event, fn) {
    const list = this.listeners.get(event);
    if (!list) return false;
    if (fn === undefined) {
      this.listeners.delete(event);
      return true;
    }
    const index = list.findIndex((entry) => entry.fn === fn);
    if (index === -1) return false;
    list.splice(index, 1);
    if (list.length === 0) this.listeners.delete(event);
    return true;
  }

  listenerCount(event) {
    return (this.listeners.get(event) ?? []).length;
  }

  eventNames() {
    return [...this.listeners.keys()].filter((name) => name !== '*');
  }

  // Call the event's listeners, then the '*' listeners with the event name first. Returns
  // whether any listener was called. A listener that throws stops the emit.
  emit(event, ...args) {
    const own = this.listeners.get(event) ?? [];
    const wildcard = event === '*' ? [] : (this.listeners.get('*') ?? []);
    if (event === 'error' && own.length === 0 && wildcard.length === 0) {
      throw args[0] instanceof Error ? args[0] : new Error(`unhandled error event: ${String(args[0])}`);
    }
    const calls = [
      ...own.map((entry) => [event, entry, args]),
      ...wildcard.map((entry) => ['*', entry, [event, ...args]]),
    ];
    for (const [name, entry] of calls) {
      if (entry.once) this.remove(name, entry);
    }
    for (const [, entry, callArgs] of calls) {
      entry.fn.apply(this, callArgs);
    }
    return calls.length > 0;
  }

  remove(event, entry) {
    const list = this.listeners.get(event);
    list.splice(list.indexOf(entry), 1);
    if (list.length === 0) this.listeners.delete(event);
  }
}

module.exports = { EventEmitter };

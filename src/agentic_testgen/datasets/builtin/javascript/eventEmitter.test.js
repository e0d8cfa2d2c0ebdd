const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { EventEmitter } = require('./eventEmitter');

describe('EventEmitter', () => {
  test('calls listeners with the arguments, in the order they were added', () => {
    const emitter = new EventEmitter();
    const calls = [];
    emitter.on('data', (a, b) => calls.push(['first', a, b]));
    emitter.on('data', (a) => calls.push(['second', a]));
    assert.equal(emitter.emit('data', 1, 2), true);
    assert.deepEqual(calls, [['first', 1, 2], ['second', 1]]);
  });

  test('emitting an event nobody listens to returns false', () => {
    assert.equal(new EventEmitter().emit('nothing'), false);
  });

  test('higher priorities run first', () => {
    const emitter = new EventEmitter();
    const order = [];
    emitter.on('x', () => order.push('low'), { priority: -1 });
    emitter.on('x', () => order.push('normal'));
    emitter.on('x', () => order.push('high'), { priority: 5 });
    emitter.emit('x');
    assert.deepEqual(order, ['high', 'normal', 'low']);
  });

  test('once-listeners run a single time even when they emit again', () => {
    const emitter = new EventEmitter();
    let count = 0;
    emitter.once('ping', () => {
      count += 1;
      emitter.emit('ping');
    });
    emitter.emit('ping');
    emitter.emit('ping');
    assert.equal(count, 1);
    assert.equal(emitter.listenerCount('ping'), 0);
  });

  test('the wildcard listener sees every event with its name', () => {
    const emitter = new EventEmitter();
    const seen = [];
    emitter.on('*', (name, ...args) => seen.push([name, ...args]));
    emitter.once('*', (name) => seen.push(['once', name]));
    emitter.emit('a', 1);
    emitter.emit('b');
    emitter.emit('*', 'direct');
    assert.deepEqual(seen, [['a', 1], ['once', 'a'], ['b'], ['direct']]);
    assert.deepEqual(emitter.eventNames(), []);
  });

  test('listeners are called with the emitter as this', () => {
    const emitter = new EventEmitter();
    let self = null;
    emitter.on('x', function listener() {
      self = this;
    });
    emitter.emit('x');
    assert.equal(self, emitter);
  });

  test('off removes one registration, or all without a function', () => {
    const emitter = new EventEmitter();
    const fn = () => {};
    emitter.on('a', fn);
    emitter.on('a', fn);
    emitter.on('b', fn);
    assert.equal(emitter.off('a', fn), true);
    assert.equal(emitter.listenerCount('a'), 1);
    assert.equal(emitter.off('a', () => {}), false);
    assert.equal(emitter.off('a', fn), true);
    assert.equal(emitter.off('b'), true);
    assert.equal(emitter.off('missing', fn), false);
    assert.deepEqual(emitter.eventNames(), []);
  });

  test('on returns an unsubscribe function', () => {
    const emitter = new EventEmitter();
    const calls = [];
    const unsubscribe = emitter.on('x', () => calls.push('x'));
    unsubscribe();
    emitter.emit('x');
    assert.deepEqual(calls, []);
    assert.equal(unsubscribe(), false);
  });

  test('an error event without listeners throws its error', () => {
    const emitter = new EventEmitter();
    const boom = new Error('boom');
    assert.throws(() => emitter.emit('error', boom), (error) => error === boom);
    assert.throws(() => emitter.emit('error', 'text'), { message: 'unhandled error event: text' });
    emitter.on('error', () => {});
    assert.equal(emitter.emit('error', boom), true);
  });

  test('a throwing listener stops the emit', () => {
    const emitter = new EventEmitter();
    const calls = [];
    emitter.on('x', () => {
      throw new Error('listener failed');
    });
    emitter.on('x', () => calls.push('later'));
    assert.throws(() => emitter.emit('x'), /listener failed/);
    assert.deepEqual(calls, []);
  });

  test('going over the listener limit warns once per event', () => {
    const warnings = [];
    const emitter = new EventEmitter({ maxListeners: 1, onWarning: (text) => warnings.push(text) });
    emitter.on('x', () => {});
    emitter.on('x', () => {});
    emitter.on('x', () => {});
    assert.deepEqual(warnings, ['2 listeners for x (limit 1)']);
    const quiet = new EventEmitter({ maxListeners: 1 });
    quiet.on('y', () => {});
    quiet.on('y', () => {});
    assert.equal(quiet.listenerCount('y'), 2);
  });

  test('a limit of zero means no limit', () => {
    const warnings = [];
    const emitter = new EventEmitter({ maxListeners: 0, onWarning: (text) => warnings.push(text) });
    for (let i = 0; i < 20; i += 1) emitter.on('x', () => {});
    assert.deepEqual(warnings, []);
  });

  test('rejects bad options and listeners', () => {
    assert.throws(() => new EventEmitter({ maxListeners: -1 }), RangeError);
    assert.throws(() => new EventEmitter().on('x', 'not a function'), TypeError);
  });
});

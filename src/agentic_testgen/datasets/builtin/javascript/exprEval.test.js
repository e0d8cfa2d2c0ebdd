const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { ExprError, tokenize, parse, evaluate, compile } = require('./exprEval');

describe('tokenize', () => {
  test('splits numbers, names and operators with their positions', () => {
    const tokens = tokenize('2.5*x_1 + 1e3');
    assert.deepEqual(
      tokens.map((t) => [t.type, t.value, t.position]),
      [
        ['number', 2.5, 0],
        ['op', '*', 3],
        ['name', 'x_1', 4],
        ['op', '+', 8],
        ['number', 1000, 10],
        ['end', null, 13],
      ],
    );
  });

  test('numbers may start or end with a dot', () => {
    assert.deepEqual(tokenize('.5 3.').slice(0, 2).map((t) => t.value), [0.5, 3]);
  });

  test('rejects unknown characters and lone dots', () => {
    assert.throws(() => tokenize('1 $ 2'), { name: 'ExprError', position: 2 });
    assert.throws(() => tokenize('.'), /bad number at position 0/);
  });
});

describe('evaluate', () => {
  test('follows operator precedence and parentheses', () => {
    assert.equal(evaluate('1 + 2 * 3'), 7);
    assert.equal(evaluate('(1 + 2) * 3'), 9);
    assert.equal(evaluate('10 - 4 - 3'), 3);
    assert.equal(evaluate('20 / 4 / 5'), 1);
    assert.equal(evaluate('17 % 5'), 2);
  });

  test('power is right-associative and binds tighter than unary minus', () => {
    assert.equal(evaluate('2 ^ 3 ^ 2'), 512);
    assert.equal(evaluate('-2 ^ 2'), -4);
    assert.equal(evaluate('2 ^ -1'), 0.5);
    assert.equal(evaluate('+-+3'), -3);
  });

  test('uses variables', () => {
    assert.equal(evaluate('x * x + y', { x: 3, y: 1 }), 10);
  });

  test('calls functions with their arguments', () => {
    assert.equal(evaluate('max(1, 7, 3) + min(4, 2)'), 9);
    assert.equal(evaluate('abs(-3) + sqrt(16) + round(2.5)'), 10);
  });

  test('unknown variables and functions are errors at their position', () => {
    assert.throws(() => evaluate('1 + z'), { name: 'ExprError', message: 'unknown variable z at position 4', position: 4 });
    assert.throws(() => evaluate('toString'), /unknown variable toString/);
    assert.throws(() => evaluate('  log(2)'), { position: 2, message: /unknown function log/ });
  });

  test('wrong numbers of arguments are errors', () => {
    assert.throws(() => evaluate('abs(1, 2)'), /abs takes 1 argument\(s\)/);
    assert.throws(() => evaluate('max()'), /max takes at least 1 argument\(s\)/);
  });

  test('division and remainder by zero are errors', () => {
    assert.throws(() => evaluate('1 / (2 - 2)'), { message: 'division by zero at position 2' });
    assert.throws(() => evaluate('1 % 0'), ExprError);
  });
});

describe('parse errors', () => {
  test('missing closing parenthesis', () => {
    assert.throws(() => parse('(1 + 2'), { message: 'expected ")" at position 6' });
    assert.throws(() => parse('max(1, 2'), /expected "\)"/);
  });

  test('dangling operator and empty input', () => {
    assert.throws(() => parse('1 +'), { message: 'unexpected end of input at position 3' });
    assert.throws(() => parse(''), /unexpected end of input at position 0/);
  });

  test('an operator where an operand belongs', () => {
    assert.throws(() => parse('1 * * 2'), { message: 'unexpected "*" at position 4' });
  });

  test('tokens left over after a complete expression', () => {
    assert.throws(() => parse('1 2'), { message: 'unexpected 2 at position 2' });
    assert.throws(() => parse('(1))'), /unexpected "\)" at position 3/);
  });
});

test('parse builds a tree', () => {
  assert.deepEqual(parse('-a'), {
    type: 'unary',
    op: '-',
    operand: { type: 'variable', name: 'a', position: 1 },
    position: 0,
  });
});

test('compile parses once and evaluates with new variables', () => {
  const area = compile('w * h');
  assert.equal(area({ w: 2, h: 3 }), 6);
  assert.equal(area({ w: 5, h: 5 }), 25);
  assert.equal(compile('1 + 1')(), 2);
});

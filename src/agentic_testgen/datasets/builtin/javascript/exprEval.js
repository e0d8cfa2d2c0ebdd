'use strict';
// Arithmetic expressions: a tokenizer, a recursive-descent parser building a tree, and an
// evaluator with variables and a few functions. Errors carry the position they were found at.
//
//   expr   := term (('+' | '-') term)*
//   term   := unary (('*' | '/' | '%') unary)*
//   unary  := ('-' | '+') unary | power
//   power  := atom ('^' unary)?          right-associative: 2^3^2 = 2^9
//   atom   := NUMBER | NAME | NAME '(' args? ')' | '(' expr ')'

class ExprError extends Error {
  constructor(message, position) {
    super(`${message} at position ${position}`);
    this.name = 'ExprError';
    this.position = position;
  }
}

const FUNCTIONS = {
  abs: { arity: [1, 1], fn: Math.abs },
  sqrt: { arity: [1, 1], fn: Math.sqrt },
  round: { arity: [1, 1], fn: Math.round },
  min: { arity: [1, Infinity], fn: Math.min },
  max: { arity: [1, Infinity], fn: Math.max },
};

function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i += 1;
    } else if (/[0-9.]/.test(ch)) {
      const match = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(text.slice(i));
      if (!match) throw new ExprError(`bad number`, i);
      tokens.push({ type: 'number', value: Number(match[0]), position: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const name = /^[A-Za-z_]\w*/.exec(text.slice(i))[0];
      tokens.push({ type: 'name', value: name, position: i });
      i += name.length;
    } else if ('+-*/%^(),'.includes(ch)) {
      tokens.push({ type: 'op', value: ch, position: i });
      i += 1;
    } else {
      throw new ExprError(`unexpected character ${JSON.stringify(ch)}`, i);
    }
  }
  tokens.push({ type: 'end', value: null, position: text.length });
  return tokens;
}

function parse(text) {
  const tokens = tokenize(text);
  let index = 0;
  const peek = () => tokens[index];
  const isOp = (value) => peek().type === 'op' && peek().value === value;
  const next = () => tokens[index++];
  const expect = (value) => {
    if (!isOp(value)) {
      throw new ExprError(`expected ${JSON.stringify(value)}`, peek().position);
    }
    return next();
  };

  function binaryLevel(operators, operand) {
    let left = operand();
    while (peek().type === 'op' && operators.includes(peek().value)) {
      const { value, position } = next();
      left = { type: 'binary', op: value, left, right: operand(), position };
    }
    return left;
  }

  const expr = () => binaryLevel('+-', term);
  const term = () => binaryLevel('*/%', unary);

  function unary() {
    if (isOp('-') || isOp('+')) {
      const { value, position } = next();
      return { type: 'unary', op: value, operand: unary(), position };
    }
    return power();
  }

  function power() {
    const base = atom();
    if (isOp('^')) {
      const { position } = next();
      return { type: 'binary', op: '^', left: base, right: unary(), position };
    }
    return base;
  }

  function atom() {
    const token = next();
    if (token.type === 'number') {
      return { type: 'number', value: token.value, position: token.position };
    }
    if (token.type === 'name') {
      if (!isOp('(')) {
        return { type: 'variable', name: token.value, position: token.position };
      }
      next();
      const args = [];
      if (!isOp(')')) {
        args.push(expr());
        while (isOp(',')) {
          next();
          args.push(expr());
        }
      }
      expect(')');
      return { type: 'call', name: token.value, args, position: token.position };
    }
    if (token.type === 'op' && token.value === '(') {
      const inner = expr();
      expect(')');
      return inner;
    }
    const what = token.type === 'end' ? 'end of input' : JSON.stringify(token.value);
    throw new ExprError(`unexpected ${what}`, token.position);
  }

  const tree = expr();
  if (peek().type !== 'end') {
    throw new ExprError(`unexpected ${JSON.stringify(peek().value)}`, peek().position);
  }
  return tree;
}

function evaluateNode(node, variables) {
  switch (node.type) {
    case 'number':
      return node.value;
    case 'variable':
      if (!Object.prototype.hasOwnProperty.call(variables, node.name)) {
        throw new ExprError(`unknown variable ${node.name}`, node.position);
      }
      return variables[node.name];
    case 'unary': {
      const value = evaluateNode(node.operand, variables);
      return node.op === '-' ? -value : value;
    }
    case 'call': {
      const known = FUNCTIONS[node.name];
      if (!known) throw new ExprError(`unknown function ${node.name}`, node.position);
      const [low, high] = known.arity;
      if (node.args.length < low || node.args.length > high) {
        throw new ExprError(`${node.name} takes ${low === high ? low : `at least ${low}`} argument(s)`, node.position);
      }
      return known.fn(...node.args.map((arg) => evaluateNode(arg, variables)));
    }
    default: {
      const left = evaluateNode(node.left, variables);
      const right = evaluateNode(node.right, variables);
      if ((node.op === '/' || node.op === '%') && right === 0) {
        throw new ExprError('division by zero', node.position);
      }
      switch (node.op) {
        case '+': return left + right;
        case '-': return left - right;
        case '*': return left * right;
        case '/': return left / right;
        case '%': return left % right;
        default: return left ** right;
      }
    }
  }
}

function evaluate(text, variables = {}) {
  return evaluateNode(parse(text), variables);
}

// Parse once, evaluate many times with different variables.
function compile(text) {
  const tree = parse(text);
  return (variables = {}) => evaluateNode(tree, variables);
}

module.exports = { ExprError, tokenize, parse, evaluate, compile };

/**
 * Reads and evaluates Azure Resource Manager template expressions ("[format('{0}', parameters('x'))]")
 * well enough to check infra/main.json offline: which functions a template calls with which
 * arguments, and what a string becomes once its parameters are known. It covers the expression
 * grammar (calls, 'strings' with '' escapes, numbers, .property and [index]) and the pure
 * functions the template uses; anything else is refused by name, so a template that starts using a
 * new function fails its test instead of being half-checked.
 */
import { createHash } from 'node:crypto';

export type ArmNode =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly ArmNode[] }
  | { readonly kind: 'property'; readonly target: ArmNode; readonly name: string }
  | { readonly kind: 'index'; readonly target: ArmNode; readonly index: ArmNode };

export type ArmValue = string | number | boolean | null | readonly ArmValue[] | { readonly [key: string]: ArmValue };

/** A template string is a literal, or an expression when it is wrapped in [ ] ("[[" escapes a literal "["). */
export type ArmString = { readonly kind: 'literal'; readonly value: string } | { readonly kind: 'expression'; readonly node: ArmNode };

export class ArmExpressionError extends Error {
  override readonly name = 'ArmExpressionError';
}

export function readArmString(text: string): ArmString {
  if (text.startsWith('[[')) return { kind: 'literal', value: text.slice(1) };
  if (text.startsWith('[') && text.endsWith(']')) return { kind: 'expression', node: parseArmExpression(text.slice(1, -1)) };
  return { kind: 'literal', value: text };
}

type Token =
  | { readonly kind: '(' | ')' | ',' | '.' | '[' | ']'; readonly at: number }
  | { readonly kind: 'string'; readonly value: string; readonly at: number }
  | { readonly kind: 'number'; readonly value: number; readonly at: number }
  | { readonly kind: 'identifier'; readonly value: string; readonly at: number };

const PUNCTUATION = new Set(['(', ')', ',', '.', '[', ']']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at]!;
    if (/\s/.test(char)) {
      at += 1;
    } else if (PUNCTUATION.has(char)) {
      tokens.push({ kind: char as '(' | ')' | ',' | '.' | '[' | ']', at });
      at += 1;
    } else if (char === "'") {
      // A quote inside a string is written twice: 'it''s'.
      let value = '';
      let end = at + 1;
      for (;;) {
        if (end >= source.length) throw new ArmExpressionError(`unterminated string at ${at} in ${source}`);
        if (source[end] === "'") {
          if (source[end + 1] === "'") {
            value += "'";
            end += 2;
            continue;
          }
          break;
        }
        value += source[end];
        end += 1;
      }
      tokens.push({ kind: 'string', value, at });
      at = end + 1;
    } else if (/[-\d]/.test(char)) {
      const match = /^-?\d+/.exec(source.slice(at));
      if (!match) throw new ArmExpressionError(`unexpected "${char}" at ${at} in ${source}`);
      tokens.push({ kind: 'number', value: Number(match[0]), at });
      at += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(at))!;
      tokens.push({ kind: 'identifier', value: match[0], at });
      at += match[0].length;
    } else {
      throw new ArmExpressionError(`unexpected "${char}" at ${at} in ${source}`);
    }
  }
  return tokens;
}

export function parseArmExpression(source: string): ArmNode {
  const tokens = tokenize(source);
  let next = 0;
  const peek = () => tokens[next];
  const expect = (kind: Token['kind']): Token => {
    const token = tokens[next];
    if (token?.kind !== kind) throw new ArmExpressionError(`expected "${kind}" at ${token?.at ?? source.length} in ${source}`);
    next += 1;
    return token;
  };

  function expression(): ArmNode {
    let node = primary();
    for (;;) {
      const token = peek();
      if (token?.kind === '.') {
        next += 1;
        const name = expect('identifier') as Extract<Token, { kind: 'identifier' }>;
        node = { kind: 'property', target: node, name: name.value };
      } else if (token?.kind === '[') {
        next += 1;
        const index = expression();
        expect(']');
        node = { kind: 'index', target: node, index };
      } else {
        return node;
      }
    }
  }

  function primary(): ArmNode {
    const token = tokens[next];
    if (!token) throw new ArmExpressionError(`expression ends early: ${source}`);
    next += 1;
    if (token.kind === 'string' || token.kind === 'number') return { kind: token.kind, value: token.value } as ArmNode;
    if (token.kind !== 'identifier') throw new ArmExpressionError(`unexpected "${token.kind}" at ${token.at} in ${source}`);
    expect('(');
    const args: ArmNode[] = [];
    if (peek()?.kind !== ')') {
      args.push(expression());
      while (peek()?.kind === ',') {
        next += 1;
        args.push(expression());
      }
    }
    expect(')');
    return { kind: 'call', name: token.value, args };
  }

  const node = expression();
  if (next !== tokens.length) throw new ArmExpressionError(`unexpected "${tokens[next]!.kind}" at ${tokens[next]!.at} in ${source}`);
  return node;
}

/** Every function call in a node, outermost first. */
export function callsIn(node: ArmNode): Extract<ArmNode, { kind: 'call' }>[] {
  switch (node.kind) {
    case 'call':
      return [node, ...node.args.flatMap(callsIn)];
    case 'property':
      return callsIn(node.target);
    case 'index':
      return [...callsIn(node.target), ...callsIn(node.index)];
    default:
      return [];
  }
}

/** Every expression in a JSON document, in keys and values alike. */
export function expressionsIn(json: unknown): ArmNode[] {
  if (typeof json === 'string') {
    const read = readArmString(json);
    return read.kind === 'expression' ? [read.node] : [];
  }
  if (Array.isArray(json)) return json.flatMap(expressionsIn);
  if (json !== null && typeof json === 'object') return Object.entries(json).flatMap(([key, value]) => [...expressionsIn(key), ...expressionsIn(value)]);
  return [];
}

/** The names given as the literal first argument of every call to `functionName` (e.g. all parameters('…') read). */
export function literalArgumentsOf(json: unknown, functionName: string): string[] {
  return expressionsIn(json)
    .flatMap(callsIn)
    .filter((call) => call.name.toLowerCase() === functionName.toLowerCase())
    .map((call) => {
      const first = call.args[0];
      if (first?.kind !== 'string') throw new ArmExpressionError(`${functionName}() is called with a computed name; only literal names can be checked`);
      return first.value;
    });
}

export type ArmFunction = (args: readonly ArmValue[]) => ArmValue;

/** A value that must be a string (a name, an id, a function's argument); refused by an ArmExpressionError naming `what` otherwise. */
export function asString(value: ArmValue | undefined, what: string): string {
  if (typeof value !== 'string') throw new ArmExpressionError(`${what} needs a string, got ${JSON.stringify(value)}`);
  return value;
}
const whole = (value: ArmValue, what: string): number => {
  if (typeof value !== 'number') throw new ArmExpressionError(`${what} needs a number, got ${JSON.stringify(value)}`);
  return value;
};
const truth = (value: ArmValue, what: string): boolean => {
  if (typeof value !== 'boolean') throw new ArmExpressionError(`${what} needs a bool, got ${JSON.stringify(value)}`);
  return value;
};
const isArray = (value: ArmValue): value is readonly ArmValue[] => Array.isArray(value);
/** How format() shows an argument: ARM formats strings, numbers and bools; anything else is refused rather than shown as "[object Object]". */
const formatted = (value: ArmValue): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ArmExpressionError(`format cannot show ${JSON.stringify(value)}`);
};
const hashOf = (args: readonly ArmValue[]) => createHash('sha256').update(JSON.stringify(args)).digest('hex');

/**
 * Pure ARM functions with ARM's meaning. uniqueString and guid are deterministic stand-ins (a hash
 * of the arguments, in the shape Azure returns), since only their shape and stability matter here.
 */
export const STANDARD_FUNCTIONS: Readonly<Record<string, ArmFunction>> = {
  format: ([pattern, ...values]) =>
    asString(pattern!, 'format').replace(/\{\{|\}\}|\{(\d+)\}/g, (token, index?: string) => {
      if (index === undefined) return token[0]!;
      const value = values[Number(index)];
      if (value === undefined) throw new ArmExpressionError(`format has no argument ${index}`);
      return formatted(value);
    }),
  concat: (args) => args.map((arg) => asString(arg, 'concat')).join(''),
  tolower: ([value]) => asString(value!, 'toLower').toLowerCase(),
  toupper: ([value]) => asString(value!, 'toUpper').toUpperCase(),
  take: ([value, count]) => asString(value!, 'take').slice(0, whole(count!, 'take')),
  replace: ([value, from, to]) => asString(value!, 'replace').split(asString(from!, 'replace')).join(asString(to!, 'replace')),
  string: ([value]) => (typeof value === 'string' ? value : JSON.stringify(value)),
  mul: ([a, b]) => whole(a!, 'mul') * whole(b!, 'mul'),
  sub: ([a, b]) => whole(a!, 'sub') - whole(b!, 'sub'),
  equals: ([a, b]) => JSON.stringify(a) === JSON.stringify(b),
  not: ([value]) => !truth(value!, 'not'),
  and: (args) => args.every((arg) => truth(arg, 'and')),
  or: (args) => args.some((arg) => truth(arg, 'or')),
  empty: ([value]) =>
    value === null || value === '' || (Array.isArray(value) ? value.length === 0 : typeof value === 'object' && Object.keys(value as object).length === 0),
  null: () => null,
  uniquestring: (args) =>
    BigInt(`0x${hashOf(args).slice(0, 16)}`)
      .toString(36)
      .padStart(13, 'a')
      .slice(0, 13),
  guid: (args) => {
    const hex = hashOf(args);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  },
};

/**
 * Evaluates a node. Function names are case-insensitive, as in ARM. `if` evaluates only the branch
 * its condition picks, as ARM does, so a branch may reference what exists only in the other case.
 */
export function evaluateArm(node: ArmNode, functions: Readonly<Record<string, ArmFunction>>): ArmValue {
  switch (node.kind) {
    case 'string':
    case 'number':
      return node.value;
    case 'property': {
      const target = evaluateArm(node.target, functions);
      if (target === null || typeof target !== 'object' || Array.isArray(target) || !(node.name in target)) {
        throw new ArmExpressionError(`no property "${node.name}" on ${JSON.stringify(target)}`);
      }
      return (target as Record<string, ArmValue>)[node.name]!;
    }
    case 'index': {
      const target = evaluateArm(node.target, functions);
      const index = evaluateArm(node.index, functions);
      const value = isArray(target)
        ? target[whole(index, 'index')]
        : target !== null && typeof target === 'object'
          ? (target as Record<string, ArmValue>)[asString(index, 'index')]
          : undefined;
      if (value === undefined) throw new ArmExpressionError(`no element ${JSON.stringify(index)} in ${JSON.stringify(target)}`);
      return value;
    }
    case 'call': {
      const name = node.name.toLowerCase();
      if (name === 'if') {
        const [condition, whenTrue, whenFalse] = node.args;
        if (!condition || !whenTrue || !whenFalse) throw new ArmExpressionError('if() takes three arguments');
        return evaluateArm(truth(evaluateArm(condition, functions), 'if') ? whenTrue : whenFalse, functions);
      }
      const implementation = functions[name];
      if (!implementation) throw new ArmExpressionError(`the function ${node.name}() is not known to this reader; add it to the test support`);
      return implementation(node.args.map((arg) => evaluateArm(arg, functions)));
    }
  }
}

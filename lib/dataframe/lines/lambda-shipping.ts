// Ships a lines-Dataset lambda to the workers by its source text: checked at the call site (it must compile on
// its own and use no outer variable, only its parameters, explicitly passed params and allow-listed globals),
// then rebuilt inside each task's sandbox realm with the params deep-frozen.
import { PaylakeError } from '../../errors/paylake-error.js';
import { freeIdentifiers } from './free-identifiers.js';
import { LAMBDA_GLOBALS, syntaxErrorOf, type LambdaSandbox } from './lambda-sandbox.js';

/** The lines operations that take a lambda. */
export type LambdaOpKind = 'filter' | 'map' | 'flatMap';

/** A lambda ready to cross to a worker: its source, its params and how to name it in errors. */
export interface ShippedLambda {
  readonly op: LambdaOpKind;
  readonly source: string;
  /** Structured-cloneable values passed as the lambda's second argument (undefined when none). */
  readonly params: unknown;
  /** Position of the operation in the Dataset's chain, 1-based, for messages ("map #2"). */
  readonly position: number;
}

const MAX_SHOWN_SOURCE = 100;

/** How messages name a lambda: `map #2 \`(l) => l.trim()\``. */
export function lambdaLabel(lambda: ShippedLambda): string {
  const oneLine = lambda.source.replace(/\s+/g, ' ');
  const shown = oneLine.length > MAX_SHOWN_SOURCE ? `${oneLine.slice(0, MAX_SHOWN_SOURCE - 1)}…` : oneLine;
  return `${lambda.op} #${lambda.position} \`${shown}\``;
}

/**
 * Checks `fn` and `params` for shipping and returns them as data. Throws PaylakeError USAGE, before any task
 * runs, when `fn` is not a function, is async, a generator, a class, native, bound or a method shorthand,
 * uses `this`/`arguments`/`super`/`import`, or names a variable that is neither its own nor an allowed global;
 * the message shows how to pass the values through `params` instead.
 * @example shipLambda('filter', (l: string, p: { word: string }) => l.includes(p.word), { word: 'DECLINED' }, 1)
 */
export function shipLambda(op: LambdaOpKind, fn: unknown, params: unknown, position: number): ShippedLambda {
  if (typeof fn !== 'function') throw new PaylakeError('USAGE', `${op} needs a function, got ${fn === null ? 'null' : typeof fn}`);
  const source = Function.prototype.toString.call(fn);
  const shipped: ShippedLambda = { op, source, params, position };
  const label = lambdaLabel(shipped);
  const refuse = (why: string): PaylakeError => new PaylakeError('USAGE', `cannot run ${label} in the workers: ${why}`);

  if (/^\s*class\b/.test(source)) throw refuse('it is a class; pass an arrow function such as (line) => line.trim()');
  if (/^\s*async\b/.test(source)) throw refuse('it is async; lambdas must return their result, not a promise');
  if (/^\s*function\s*\*/.test(source)) throw refuse('it is a generator function; return an array instead (flatMap accepts any iterable)');
  const syntax = syntaxErrorOf(source);
  if (syntax !== undefined) {
    throw refuse(
      `its source does not compile on its own (${syntax}); lambdas are shipped by source text, so pass an arrow function or ` +
        'a function expression, not a method, a bound function or a built-in such as String.prototype.trim',
    );
  }
  let free;
  try {
    free = freeIdentifiers(source, LAMBDA_GLOBALS);
  } catch (e) {
    throw refuse(`its source cannot be analysed (${e instanceof Error ? e.message : String(e)})`);
  }
  const ownArguments = /^\s*function\b/.test(source);
  const enclosing = free.enclosing.filter((name) => !(name === 'arguments' && ownArguments));
  if (enclosing.length > 0) {
    throw refuse(`it uses ${enclosing.map((n) => `\`${n}\``).join(', ')}, which would refer to the code around it; ${paramsHint(op, [])}`);
  }
  if (free.names.length > 0) {
    const names = free.names.map((n) => `\`${n}\``).join(', ');
    throw refuse(
      `it uses ${names} from outside the function. Lambdas run in worker threads, where only their own parameters ` +
        `and standard globals (${[...LAMBDA_GLOBALS].slice(0, 8).join(', ')}, ...) exist; ${paramsHint(op, free.names)}`,
    );
  }
  if (params !== undefined) {
    try {
      structuredClone(params);
    } catch (e) {
      throw new PaylakeError(
        'USAGE',
        `the params of ${label} cannot be sent to a worker (${e instanceof Error ? e.message : String(e)}); pass plain data ` +
          '(strings, numbers, booleans, null, arrays, objects, Map, Set, Date, RegExp), not functions or class instances',
      );
    }
  }
  return shipped;
}

/** The "pass it explicitly" hint, with the caller's own names when known. */
function paramsHint(op: LambdaOpKind, names: readonly string[]): string {
  const shown = names.length > 0 ? names.slice(0, 3) : ['word'];
  const uses = shown.map((n) => `p.${n}`).join(', ');
  return `pass outer values explicitly as params, which the lambda receives as its second argument: .${op}((line, p) => /* use ${uses} */, { ${shown.join(', ')} })`;
}

/**
 * Rebuilds a shipped lambda inside `sandbox` and binds its params (deep-frozen, so a lambda cannot leave state
 * for the next line) as the second argument.
 * @example const keep = compileShippedLambda(shipped, createLambdaSandbox()); keep('a line')
 */
export function compileShippedLambda(lambda: ShippedLambda, sandbox: LambdaSandbox): (value: unknown) => unknown {
  const fn = sandbox.compile(lambda.source);
  if (typeof fn !== 'function') throw new PaylakeError('INTERNAL', `${lambdaLabel(lambda)} did not compile to a function; please report this`);
  const params = deepFreeze(lambda.params);
  return (value) => (fn as (v: unknown, p: unknown) => unknown)(value, params);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (value instanceof Map) for (const [k, v] of value) (deepFreeze(k), deepFreeze(v));
    else if (value instanceof Set) for (const v of value) deepFreeze(v);
    else for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

// The realm a shipped lambda runs in: a fresh `node:vm` context per task whose only globals are the
// allow-listed ECMAScript ones, so a lambda sees its parameters and standard library and nothing else
// (no process, require, Buffer, timers, or state left behind by another task).
import * as vm from 'node:vm';

/**
 * Globals a lambda may use. The capture check (lambda-shipping.ts) refuses any other free name at the call
 * site, and the sandbox deletes every other global, so the two agree. No `console`: output from many
 * threads would interleave, and a job's lambdas should be pure.
 */
export const LAMBDA_GLOBALS: ReadonlySet<string> = new Set([
  'Math',
  'JSON',
  'String',
  'Number',
  'Boolean',
  'Array',
  'Object',
  'BigInt',
  'Date',
  'RegExp',
  'Set',
  'Map',
  'Symbol',
  'Error',
  'TypeError',
  'RangeError',
  'parseInt',
  'parseFloat',
  'isNaN',
  'isFinite',
  'encodeURIComponent',
  'decodeURIComponent',
  'undefined',
  'NaN',
  'Infinity',
]);

/** A realm for one task's lambdas. */
export interface LambdaSandbox {
  /** Compiles a function's source in the sandbox (strict mode) and returns the function. */
  compile(source: string): unknown;
}

/**
 * A new sandbox realm. Costs about a millisecond; one per task keeps tasks from seeing each other's changes
 * to the sandbox's globals, so results cannot depend on which tasks shared a thread.
 * @example const fn = createLambdaSandbox().compile('(l, p) => l.includes(p.word)')
 */
export function createLambdaSandbox(): LambdaSandbox {
  const context = vm.createContext({}, { codeGeneration: { strings: false, wasm: false } });
  const names = vm.runInContext('Object.getOwnPropertyNames(globalThis)', context) as string[];
  const remove = names.filter((name) => !LAMBDA_GLOBALS.has(name));
  // `g` first: `globalThis` itself is among the names deleted.
  vm.runInContext(`{ const g = globalThis; for (const name of ${JSON.stringify(remove)}) { try { delete g[name]; } catch {} } }`, context);
  return {
    compile: (source) => vm.runInContext(`'use strict';\n(${source})`, context),
  };
}

/**
 * Checks that `source` compiles as a function expression on its own (not a method shorthand, native or
 * bound function); returns the SyntaxError message when it does not. Compiles without running.
 */
export function syntaxErrorOf(source: string): string | undefined {
  try {
    new vm.Script(`'use strict';\n(${source})`);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

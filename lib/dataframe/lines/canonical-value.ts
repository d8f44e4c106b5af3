// Structural identity of the values a lines Dataset holds: canonical JSON (object keys sorted), so that
// countByValue groups ['a', 1] with another ['a', 1] and {b, a} with {a, b}, as Spark groups Python tuples.
import { PaylakeError } from '../../errors/paylake-error.js';

/** A value countByValue can group: JSON data (strings, finite numbers, booleans, null, arrays, plain objects). */
export type StructuralValue = null | boolean | number | string | readonly StructuralValue[] | { readonly [key: string]: StructuralValue };

/**
 * The canonical JSON text of `value`: object keys sorted by UTF-16 code units, no spaces. Refuses what JSON
 * would change or lose (undefined, NaN, ±Infinity, bigint, functions, symbols, class instances such as Date
 * or Map) with a TYPE_ERROR that says where the value came from (`where`).
 * @example canonicalJson({ b: 1, a: ['x', 2] }, 'map') // '{"a":["x",2],"b":1}'
 */
export function canonicalJson(value: unknown, where: string): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw unsupported(String(value), where);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i], where);
        return `${out}]`;
      }
      if (!isPlainObject(value)) throw unsupported(`a ${Object.prototype.toString.call(value).slice(8, -1)} object`, where);
      const keys = Object.keys(value).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        out += `${i === 0 ? '' : ','}${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k], where)}`;
      }
      return `${out}}`;
    }
    default:
      throw unsupported(typeof value === 'bigint' ? `the bigint ${String(value)}n` : String(typeof value), where);
  }
}

/** Orders canonical JSON texts (ascending, by UTF-16 code units), the tie-break of countByValue. */
export function compareCanonical(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A plain object of any realm (lambdas run in their own realm, whose Object.prototype is not ours). */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || (Object.prototype.toString.call(value) === '[object Object]' && Object.getPrototypeOf(proto) === null);
}

function unsupported(what: string, where: string): PaylakeError {
  return new PaylakeError(
    'TYPE_ERROR',
    `${where} produced ${what}, which cannot be compared by value; return strings, finite numbers, booleans, null, arrays or plain objects`,
  );
}

// Converts one JSON member into the value its column type stores, exactly, through the CSV value
// parsers (so a decimal, date or timestamp means the same in both formats). Which JSON kinds each type
// takes follows Spark's JSON reader: numbers for numeric types (decimals also take strings), strings
// for dates and timestamps, true/false for booleans, anything for strings (as its JSON text).
import type { CsvColumnSpec } from '../csv/csv-column-type.js';
import { csvColumnTypeName } from '../csv/csv-column-type.js';
import { isValueError, valueParserFor, type CsvValue, type CsvValueError } from '../csv/csv-value-parser.js';
import { PaylakeError } from '../../errors/paylake-error.js';
import { jsonTextOf, type JsonMember } from './json-object-scanner.js';

/** Converts one non-null member; a CsvValueError's `why` completes "expected T, got V (why)". */
export type JsonValueConverter = (member: Exclude<JsonMember, { kind: 'null' }>) => CsvValue | CsvValueError;

const ARTICLE: Record<JsonMember['kind'], string> = {
  string: 'a JSON string',
  number: 'a JSON number',
  boolean: 'a JSON boolean',
  null: 'JSON null',
  object: 'a JSON object',
  array: 'a JSON array',
};

function wrongKind(member: JsonMember, spec: CsvColumnSpec, takes: string): CsvValueError {
  return { invalid: true, why: `${ARTICLE[member.kind]}; ${csvColumnTypeName(spec)} takes ${takes}` };
}

/**
 * The converter for members of a column of `spec`. A string column keeps a JSON string's value and
 * the compact JSON text of anything else (a number's source text, `true`, `{"a":1}`).
 * @example jsonValueConverterFor({ kind: 'int64' })({ kind: 'number', text: '9007199254740993' }) // 9007199254740993n
 */
export function jsonValueConverterFor(spec: CsvColumnSpec): JsonValueConverter {
  const parse = valueParserFor(spec);
  switch (spec.kind) {
    case 'string':
      return (m) => (m.kind === 'string' ? m.value : jsonTextOf(m));
    case 'int32':
    case 'int64':
      return (m) => {
        if (m.kind !== 'number') return wrongKind(m, spec, 'JSON integers');
        const v = parse(m.text);
        return isValueError(v) && v.why === undefined && /[.eE]/.test(m.text) ? { invalid: true, why: 'not an integer' } : v;
      };
    case 'float64':
      return (m) => {
        if (m.kind !== 'number') return wrongKind(m, spec, 'JSON numbers');
        const v = parse(m.text);
        return typeof v === 'number' && !Number.isFinite(v) ? { invalid: true, why: 'out of the float64 range' } : v;
      };
    case 'decimal':
      return (m) => {
        if (m.kind !== 'number' && m.kind !== 'string') return wrongKind(m, spec, 'JSON numbers and strings holding a plain decimal');
        const text = m.kind === 'number' ? m.text : m.value;
        const v = parse(text);
        return isValueError(v) && v.why === undefined && /[eE]/.test(text) ? { invalid: true, why: 'exponent notation; write the plain decimal' } : v;
      };
    case 'boolean':
      return (m) => (m.kind === 'boolean' ? m.value : wrongKind(m, spec, 'true and false'));
    case 'date':
    case 'timestamp':
      return (m) => (m.kind === 'string' ? parse(m.value) : wrongKind(m, spec, 'JSON strings'));
    default: {
      const never: never = spec;
      throw new PaylakeError('INTERNAL', `unhandled column spec ${JSON.stringify(never)}`);
    }
  }
}

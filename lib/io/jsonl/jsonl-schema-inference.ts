// Infers column types of JSON-lines objects from sample members, with the CSV inference's money-safe
// rules applied to what JSON says: numbers → int64 / decimal(38, s) (from their exact source text,
// through CsvColumnInference), float64 only for exponent notation or more than 38 digits; strings →
// date or timestamp when every one is, else string; booleans → boolean; objects, arrays, mixed kinds
// and NULL-only → string (Spark would infer struct/array; the engine does not compute on those yet).
import type { CsvColumnSpec } from '../csv/csv-column-type.js';
import { CsvColumnInference } from '../csv/csv-schema-inference.js';
import type { JsonMember } from './json-object-scanner.js';

/** What the sampled values of one key have shown so far. */
export class JsonColumnInference {
  /** Number source texts without an exponent, classified by the CSV rules (int64, wide, fraction). */
  private readonly numbers = new CsvColumnInference();
  /** String values, classified by the CSV rules; only a date or timestamp result is kept. */
  private readonly strings = new CsvColumnInference();
  private number = false;
  private exponent = false;
  private string = false;
  private boolean = false;
  private nested = false;

  /** Takes one member value into account (NULL says nothing about the type). */
  observe(member: JsonMember): void {
    switch (member.kind) {
      case 'number':
        this.number = true;
        if (/[eE]/.test(member.text)) this.exponent = true;
        else this.numbers.observe(member.text);
        return;
      case 'string':
        this.string = true;
        this.strings.observe(member.value); // "" is text, not NULL: a column holding one stays string
        return;
      case 'boolean':
        this.boolean = true;
        return;
      case 'object':
      case 'array':
        this.nested = true;
        return;
      case 'null':
        return;
      default: {
        const never: never = member;
        throw new Error(`unhandled JSON member ${JSON.stringify(never)}`);
      }
    }
  }

  /** The narrowest type every observed value fits. */
  result(): CsvColumnSpec {
    const families = [this.number, this.string, this.boolean, this.nested].filter(Boolean).length;
    if (families !== 1 || this.nested) return { kind: 'string' };
    if (this.boolean) return { kind: 'boolean' };
    if (this.string) {
      const spec = this.strings.result();
      return spec.kind === 'date' || spec.kind === 'timestamp' ? spec : { kind: 'string' };
    }
    if (this.exponent) return { kind: 'float64' };
    const spec = this.numbers.result();
    return spec.kind === 'string' ? { kind: 'float64' } : spec; // beyond 38 digits: no exact type holds it
  }
}

/**
 * Infers one spec per key from sample objects; keys in order of first appearance.
 * @example inferJsonColumns([scanned.members]) // Map { 'amount_minor' => { kind: 'int64' }, 'fx' => { kind: 'decimal', precision: 38, scale: 2 } }
 */
export function inferJsonColumns(sample: Iterable<ReadonlyMap<string, JsonMember>>): Map<string, CsvColumnSpec> {
  const columns = new Map<string, JsonColumnInference>();
  for (const members of sample) {
    for (const [key, member] of members) {
      let column = columns.get(key);
      if (column === undefined) columns.set(key, (column = new JsonColumnInference()));
      column.observe(member);
    }
  }
  return new Map([...columns].map(([key, column]) => [key, column.result()]));
}

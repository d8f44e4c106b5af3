// Filters as selection vectors and takeRows: every Arrow input type the engine reads, NULLs, empty and
// reordering selections, dictionary input, and the widened output types.
import {
  Binary, Bool, DateDay, DateMillisecond, Decimal, Dictionary, Field, Float32, Float64, Int16, Int32, Int64, Int8,
  LargeUtf8, makeData, Null, RecordBatch, Schema, Struct, TimestampMicrosecond, TimestampMillisecond, Uint32, Utf8,
  vectorFromArray,
} from 'apache-arrow';
import type { Data, DataType as ArrowType } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { analyzeExpr } from '../../../../lib/dataframe/expr/analyze-expr.js';
import { parseExpression } from '../../../../lib/dataframe/expr/parser/parse-expression.js';
import { columnFromVector } from '../../../../lib/dataframe/physical/expr-eval/arrow-column.js';
import { compilePredicate, takeRows } from '../../../../lib/dataframe/physical/expr-eval/selection.js';
import { fromArrowType, schemaFromArrow, toArrowType } from '../../../../lib/dataframe/types/arrow-type.js';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import { batchOf, cellsOf, selectText } from './eval-fixtures.js';

const DAY_MS = 86_400_000;

function decimalData(values: readonly (bigint | null)[]): Data {
  const words = new Uint32Array(4 * values.length);
  const nulls = new Uint8Array(8);
  values.forEach((v, i) => {
    if (v === null) return;
    nulls[i >>> 3]! |= 1 << (i & 7);
    const u = BigInt.asUintN(128, v);
    for (let k = 0; k < 4; k++) words[4 * i + k] = Number((u >> BigInt(32 * k)) & 0xffffffffn);
  });
  return makeData({ type: new Decimal(2, 18, 128), length: values.length, nullBitmap: nulls, data: words });
}

/** One column per Arrow type, four rows, row 1 NULL everywhere. */
function everyType(): RecordBatch {
  const columns: [string, ArrowType, Data][] = [];
  const add = (name: string, type: ArrowType, values: unknown[]): void => {
    columns.push([name, type, vectorFromArray(values, type as never).data[0]!]);
  };
  add('bool', new Bool(), [true, null, false, true]);
  add('i8', new Int8(), [-128, null, 127, 0]);
  add('i16', new Int16(), [-32768, null, 32767, 1]);
  add('i32', new Int32(), [-2147483648, null, 2147483647, 2]);
  add('i64', new Int64(), [-(2n ** 63n), null, 2n ** 63n - 1n, 3n]);
  add('u32', new Uint32(), [4294967295, null, 0, 4]);
  add('f32', new Float32(), [1.5, null, -0, 5]);
  add('f64', new Float64(), [NaN, null, -Infinity, 6]);
  columns.push(['dec', new Decimal(2, 18, 128), decimalData([-999999999999999999n, null, 1250n, 7n])]);
  add('utf8', new Utf8(), ['héllo', null, '', '日本']);
  add('large', new LargeUtf8(), ['a', null, 'bb', 'ccc']);
  add('bin', new Binary(), [Uint8Array.of(1, 2), null, new Uint8Array(0), Uint8Array.of(255)]);
  add('day', new DateDay(), [new Date(-DAY_MS), null, new Date(0), new Date(19782 * DAY_MS)]);
  add('date64', new DateMillisecond(), [-DAY_MS, null, 0, 19782 * DAY_MS]);
  add('ts_ms', new TimestampMillisecond('UTC'), [-1, null, 0, 1_700_000_000_123]);
  add('ts_us', new TimestampMicrosecond(), [-1, null, 0, 1_700_000_000_123_456]);
  add('dict', new Dictionary(new Utf8(), new Int32()), ['APPROVED', null, 'DECLINED', 'APPROVED']);
  columns.push(['nul', new Null(), makeData({ type: new Null(), length: 4 })]);
  const fields = columns.map(([name, type]) => new Field(name, type, true));
  const struct = makeData({ type: new Struct(fields), length: 4, nullCount: 0, children: columns.map(([, , d]) => d) });
  return new RecordBatch(new Schema(fields), struct);
}

/** Each column's values as engine cells (int64/decimal/timestamp as bigint, dates as day numbers). */
function cells(batch: RecordBatch): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  batch.schema.fields.forEach((f, i) => {
    out[f.name] = cellsOf(columnFromVector(batch.getChildAt(i)!, fromArrowType(f.type, f.name), f.name));
  });
  return out;
}

describe('takeRows', () => {
  const batch = everyType();
  const input = cells(batch);

  it('takes every type in selection order, NULLs included', () => {
    const sel = Uint32Array.of(3, 1, 0, 0, 2);
    const out = takeRows(batch, sel);
    expect(out.numRows).toBe(5);
    const got = cells(out);
    for (const [name, values] of Object.entries(input)) {
      expect(got[name], name).toEqual([...sel].map((i) => values[i]));
    }
    expect(got['i64']).toEqual([3n, null, -(2n ** 63n), -(2n ** 63n), 2n ** 63n - 1n]);
    expect(got['ts_ms']).toEqual([1_700_000_000_123_000n, null, -1000n, -1000n, 0n]);
    expect(got['date64']).toEqual([19782, null, -1, -1, 0]);
    expect(got['dict']).toEqual(['APPROVED', null, 'APPROVED', 'APPROVED', 'DECLINED']);
  });

  it("outputs the engine's Arrow types: narrow and dictionary inputs are widened", () => {
    const out = takeRows(batch, Uint32Array.of(0));
    const engine = schemaFromArrow(batch.schema);
    expect(out.schema.fields.map((f) => String(f.type))).toEqual(engine.fields.map((f) => String(toArrowType(f.type))));
    const byName = Object.fromEntries(out.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(byName).toMatchObject({ i8: 'Int32', u32: 'Int64', f32: 'Float64', large: 'Utf8', dict: 'Utf8', date64: 'Date32<DAY>', ts_ms: 'Timestamp<MICROSECOND, UTC>' });
    // The schema and the data agree (a batch whose schema says int8 over int32 data would corrupt readers).
    out.schema.fields.forEach((f, i) => expect(String(out.getChildAt(i)!.type)).toBe(String(f.type)));
  });

  it('returns an empty batch for an empty selection', () => {
    const out = takeRows(batch, new Uint32Array(0));
    expect(out.numRows).toBe(0);
    expect(out.schema.fields.map((f) => f.name)).toEqual(batch.schema.fields.map((f) => f.name));
    for (const values of Object.values(cells(out))) expect(values).toEqual([]);
  });

  it('composes with a predicate', () => {
    const schema = schemaFromArrow(batch.schema);
    const sel = compilePredicate(analyzeExpr(parseExpression("dict = 'APPROVED' AND i32 IS NOT NULL"), schema).expr, schema).select(batch);
    expect([...sel]).toEqual([0, 3]);
    expect(cells(takeRows(batch, sel))['utf8']).toEqual(['héllo', '日本']);
  });
});

describe('string conjuncts read in place', () => {
  const fx = batchOf({
    s: [types.string, ['APPROVED', null, 'DECLINED', 'APPROVED', 'é', '', 'acme-store-1-eu']],
    n: [types.int32, [1, 2, 3, null, 5, 6, 7]],
  });

  it('filters on the selection left by earlier conjuncts', () => {
    expect(selectText("n > 1 AND s = 'APPROVED'", fx)).toEqual([]);
    expect(selectText("n >= 1 AND s = 'APPROVED'", fx)).toEqual([0]);
    expect(selectText("s = 'APPROVED'", fx, Uint32Array.of(3, 2, 0))).toEqual([3, 0]);
    expect(selectText("n > 0 AND s <> 'APPROVED'", fx)).toEqual([2, 4, 5, 6]);
  });

  it('orders by bytes and flips a literal on the left', () => {
    expect(selectText("s < 'B'", fx)).toEqual([0, 3, 5]);
    expect(selectText("'B' > s", fx)).toEqual([0, 3, 5]);
    expect(selectText("s >= 'é'", fx)).toEqual([4]);
    expect(selectText("s <=> 'APPROVED'", fx)).toEqual([0, 3]);
  });

  it('treats NULL in IN lists as SQL does', () => {
    expect(selectText("s IN ('DECLINED', '', NULL)", fx)).toEqual([2, 5]);
    expect(selectText("s NOT IN ('DECLINED', '')", fx)).toEqual([0, 3, 4, 6]);
    expect(selectText("s NOT IN ('DECLINED', NULL)", fx)).toEqual([]);
  });

  it('matches LIKE patterns on bytes, multi-byte text included', () => {
    expect(selectText("s LIKE 'acme%'", fx)).toEqual([6]);
    expect(selectText("s LIKE '%-eu'", fx)).toEqual([6]);
    expect(selectText("s LIKE '%PRO%'", fx)).toEqual([0, 3]);
    expect(selectText("s LIKE '%'", fx)).toEqual([0, 2, 3, 4, 5, 6]);
    expect(selectText("s LIKE ''", fx)).toEqual([5]);
    expect(selectText("s NOT LIKE '%E%'", fx)).toEqual([4, 5, 6]);
    expect(selectText("s LIKE 'é'", fx)).toEqual([4]);
  });

  it('gives the same rows on a dictionary column', () => {
    const values = ['APPROVED', null, 'DECLINED', 'APPROVED', 'é', '', 'acme-store-1-eu'];
    const type = new Dictionary(new Utf8(), new Int32());
    const fields = [new Field('s', type, true)];
    const data = vectorFromArray(values, type).data[0]!;
    const batch = new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: values.length, nullCount: 0, children: [data] }));
    const dict = { batch, schema: schemaFromArrow(batch.schema) };
    for (const text of ["s = 'APPROVED'", "s IN ('DECLINED', '', NULL)", "s LIKE '%-eu'", "s > 'B'", "s NOT IN ('é')"]) {
      expect(selectText(text, dict), text).toEqual(selectText(text, fx));
    }
    expect(selectText("s = 'APPROVED'", dict, Uint32Array.of(3, 2))).toEqual([3]);
  });
});

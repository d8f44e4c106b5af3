// Arrow tables with every reportable type, shared by the report renderer tests.
import {
  Binary, Bool, DateDay, DateMillisecond, Decimal, Dictionary, DurationMillisecond, Field, FixedSizeBinary, Float32, Float64,
  Int32, Int64, List, Map_, Struct, Table, TimeMicrosecond, TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond,
  TimestampSecond, Uint64, Utf8, makeData, makeVector, vectorFromArray, type Vector,
} from 'apache-arrow';

/** A Decimal vector from unscaled bigints (null = NULL), encoded as little-endian 32-bit words. */
export function decimalVector(unscaled: (bigint | null)[], precision: number, scale: number, bitWidth = 128): Vector {
  const stride = bitWidth / 32;
  const words = new Uint32Array(unscaled.length * stride);
  const validity = new Uint8Array(Math.ceil(unscaled.length / 8));
  let nulls = 0;
  unscaled.forEach((v, i) => {
    if (v === null) {
      nulls++;
      return;
    }
    validity[i >> 3]! |= 1 << (i & 7);
    let u = BigInt.asUintN(bitWidth, v);
    for (let w = 0; w < stride; w++) {
      words[i * stride + w] = Number(u & 0xffffffffn);
      u >>= 32n;
    }
  });
  return makeVector(makeData({ type: new Decimal(scale, precision, bitWidth), length: unscaled.length, nullCount: nulls, nullBitmap: validity, data: words }));
}

/** A vector of a BigInt64-backed type (timestamps, durations, date64) from raw ticks. */
export function ticksVector<T extends TimestampSecond | TimestampMillisecond | TimestampMicrosecond | TimestampNanosecond | DurationMillisecond | DateMillisecond | TimeMicrosecond>(
  type: T,
  ticks: (bigint | null)[],
): Vector {
  const validity = new Uint8Array(Math.ceil(ticks.length / 8));
  ticks.forEach((v, i) => {
    if (v !== null) validity[i >> 3]! |= 1 << (i & 7);
  });
  const nulls = ticks.filter((v) => v === null).length;
  const data = BigInt64Array.from(ticks.map((v) => v ?? 0n));
  return makeVector(makeData({ type, length: ticks.length, nullCount: nulls, nullBitmap: validity, data } as never));
}

/** Three rows covering every scalar type plus List, Struct, Map and Dictionary; row 2 is all NULL. */
export function everyTypeTable(): Table {
  const entries = new Field('entries', new Struct([new Field('key', new Utf8(), false), new Field('value', new Int32(), true)]), false);
  return new Table({
    i32: vectorFromArray([-7, 2147483647, null], new Int32()),
    i64: vectorFromArray([9007199254740991n, 9007199254740992n, null], new Int64()),
    u64: vectorFromArray([18446744073709551615n, 0n, null], new Uint64()),
    f64: vectorFromArray([1.5, NaN, null], new Float64()),
    f32: vectorFromArray([0.1, -Infinity, null], new Float32()),
    dec: decimalVector([-1250n, 5n, null], 10, 2),
    flag: vectorFromArray([true, false, null], new Bool()),
    text: vectorFromArray(['plain', '=SUM(A1)', null], new Utf8()),
    bin: vectorFromArray([Uint8Array.from([0xde, 0xad, 0xbe, 0xef]), new Uint8Array(0), null], new Binary()),
    fsb: vectorFromArray([Uint8Array.from([1, 2]), Uint8Array.from([255, 254]), null], new FixedSizeBinary(2)),
    day: makeVector(makeData({ type: new DateDay(), length: 3, nullCount: 1, nullBitmap: Uint8Array.from([0b011]), data: Int32Array.from([20778, -1, 0]) })),
    day64: ticksVector(new DateMillisecond(), [1795219200000n, -86400000n, null]),
    ts_us: ticksVector(new TimestampMicrosecond('UTC'), [1795256103123456n, 1795256103000000n, null]),
    ts_ms_ntz: ticksVector(new TimestampMillisecond(), [1795256103120n, -1n, null]),
    ts_s: ticksVector(new TimestampSecond('Europe/Paris'), [0n, 1795256103n, null]),
    ts_ns: ticksVector(new TimestampNanosecond('UTC'), [1795256103123456789n, 1795256103123456000n, null]),
    time_us: ticksVector(new TimeMicrosecond(), [37503123456n, 0n, null]),
    dur_ms: ticksVector(new DurationMillisecond(), [1500n, -2000n, null]),
    tags: vectorFromArray([['a', 'b'], [], null], new List(new Field('item', new Utf8(), true))),
    point: vectorFromArray([{ x: 1, y: 'p' }, { x: null, y: 'q' }, null], new Struct([new Field('x', new Int32(), true), new Field('y', new Utf8(), true)])),
    attrs: vectorFromArray([new Map([['k', 1]]), new Map<string, number | null>([['a', null]]), null], new Map_(entries)),
    brand: vectorFromArray(['VISA', 'MC', null], new Dictionary(new Utf8(), new Int32())),
  });
}

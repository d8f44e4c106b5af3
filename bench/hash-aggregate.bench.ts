// Hash aggregation throughput: a group-by on one string key (~2,000 groups, skewed) with sum(int64) and
// count(*), over pre-built 64Ki-row Arrow batches, plain Utf8 and dictionary-encoded; plus the cost of
// partial → merge → finish. Usage: node dist/bench/hash-aggregate.bench.js [--rows N] (default 10M).
import { Dictionary, Int32, makeData, Utf8, Vector } from 'apache-arrow';
import { HashAggregator } from '../lib/dataframe/physical/aggregate/hash-aggregator.js';
import { columnToData } from '../lib/dataframe/physical/expr-eval/arrow-column.js';
import { makeColumn } from '../lib/dataframe/physical/expr-eval/column.js';
import { types } from '../lib/dataframe/types/data-type.js';

const BATCH = 65536;
const GROUPS = 2000;

function main(): void {
  const args = process.argv.slice(2);
  const rowsArg = args.indexOf('--rows');
  const rows = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 10_000_000;
  const enc = new TextEncoder();
  const names = Array.from({ length: GROUPS }, (_, i) => enc.encode(`merchant_${String(i).padStart(5, '0')}`));
  let seed = 42;
  const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const plain: Vector[] = [];
  const dict: Vector[] = [];
  const amounts: Vector[] = [];
  const dictValues = (() => {
    const offsets = new Int32Array(GROUPS + 1);
    names.forEach((b, i) => (offsets[i + 1] = offsets[i]! + b.length));
    const bytes = new Uint8Array(offsets[GROUPS]!);
    names.forEach((b, i) => bytes.set(b, offsets[i]!));
    return new Vector([makeData({ type: new Utf8(), length: GROUPS, valueOffsets: offsets, data: bytes })]);
  })();
  for (let start = 0; start < rows; start += BATCH) {
    const n = Math.min(BATCH, rows - start);
    const idx = new Int32Array(n);
    // Skewed: squaring a uniform draw favours low merchant numbers.
    for (let i = 0; i < n; i++) idx[i] = Math.floor(rand() * rand() * GROUPS);
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + names[idx[i]!]!.length;
    const bytes = new Uint8Array(offsets[n]!);
    for (let i = 0; i < n; i++) bytes.set(names[idx[i]!]!, offsets[i]!);
    plain.push(new Vector([columnToData(makeColumn(types.string, n, bytes, null, offsets))]));
    dict.push(new Vector([makeData({ type: new Dictionary(new Utf8(), new Int32()), length: n, data: idx, dictionary: dictValues })]));
    const a = new BigInt64Array(n);
    for (let i = 0; i < n; i++) a[i] = BigInt(Math.floor(rand() * 1_000_000));
    amounts.push(new Vector([columnToData(makeColumn(types.int64, n, a, null))]));
  }
  const keys = [{ name: 'merchant', type: types.string }];
  const specs = [
    { fn: 'sum' as const, inputType: types.int64, distinct: false, name: 'total' },
    { fn: 'count' as const, inputType: null, distinct: false, name: 'n' },
  ];
  for (const [label, keyVectors] of [['plain utf8', plain], ['dictionary', dict]] as const) {
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      const agg = new HashAggregator(keys, specs);
      for (let b = 0; b < keyVectors.length; b++) agg.addBatch([keyVectors[b]!], [amounts[b]!, null]);
      const t1 = performance.now();
      const coordinator = new HashAggregator(keys, specs);
      coordinator.mergeBatch(agg.partialToBatch());
      const out = coordinator.finish();
      const t2 = performance.now();
      const secs = (t1 - t0) / 1000;
      console.log(
        `${label.padEnd(10)} run ${run}: ${rows.toLocaleString()} rows in ${secs.toFixed(3)} s = ${(rows / secs / 1e6).toFixed(1)} M rows/s; ` +
          `partial+merge+finish ${(t2 - t1).toFixed(1)} ms; ${out.numRows} groups; ~${agg.bytesPerGroup().toFixed(0)} B/group`,
      );
    }
  }
}

main();

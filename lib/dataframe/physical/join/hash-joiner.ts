// The in-memory hash join kernel (Spark SQL 3.5 semantics, any join type with either side hashed): build
// batches go into a JoinBuildTable; each probe batch is looked up, its (probe row, build row) candidates
// are cut into chunks of at most `batchRows`, the extra condition is evaluated over a chunk's joined
// rows, and the output is gathered in batches of at most `batchRows` rows, so one key with a million
// matches never builds one giant array. `finish` emits the build rows a join type preserves.
//
// Order (deterministic): probe rows in order; for each, its matches in build insertion order (or its one
// NULL-extended / semi / anti row in its place); `finish` emits build rows in insertion order.
//
// Build-side match flags: without a condition a key match is a match, so one flag per distinct key is
// enough (and marking costs O(1) per probe row, however many rows the key has); with a condition each
// build row has its own flag.
import { makeData, RecordBatch, Schema as ArrowSchema, Struct } from 'apache-arrow';
import { PaylakeError } from '../../../errors/paylake-error.js';
import { displayExpr } from '../../expr/display-expr.js';
import { sameType, typeName } from '../../types/data-type.js';
import { schemaToArrow } from '../../types/arrow-type.js';
import type { Field as PaylakeField, Schema } from '../../types/schema.js';
import { schemaOf } from '../../types/schema.js';
import { columnToData } from '../expr-eval/arrow-column.js';
import { nullColumn } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { compileExpr } from '../expr-eval/compile-expr.js';
import type { CompiledExpr } from '../expr-eval/compile-expr.js';
import { BatchInput } from '../expr-eval/eval-node.js';
import type { EvalInput } from '../expr-eval/eval-node.js';
import { compilePredicate } from '../expr-eval/selection.js';
import type { CompiledPredicate } from '../expr-eval/selection.js';
import { takeColumn } from '../expr-eval/take-column.js';
import { JoinBuildTable } from './join-build-table.js';
import { joinRoles } from './join-type.js';
import type { JoinRoles, JoinSpec } from './join-type.js';

/** Default largest output batch, in rows. */
export const JOIN_BATCH_ROWS = 65_536;

/** Tuning of a HashJoiner. */
export interface HashJoinerOptions {
  /** Largest output batch and candidate chunk, in rows (default JOIN_BATCH_ROWS). */
  readonly batchRows?: number;
}

/** Where an output column comes from: a side, and the field index in that side's schema. */
interface OutputColumn {
  readonly side: 'probe' | 'build';
  readonly field: number;
}

/**
 * A hash join of two inputs: all build batches first, then each probe batch, then `finish` once.
 * @example
 * const joiner = new HashJoiner({ type: 'left', left: tx, right: bank, leftKeys: [ColumnNode.create('ref')], rightKeys: [ColumnNode.create('psp_ref')],
 *   condition: null, buildSide: 'right', output: joinOutputSchema('left', tx, bank) });
 * for (const b of bankBatches) joiner.addBuild(b);
 * const out = txBatches.flatMap((b) => joiner.probe(b));
 * out.push(...joiner.finish()); // nothing for a left join hashed on the right
 */
export class HashJoiner {
  private readonly roles: JoinRoles;
  private readonly build: JoinBuildTable;
  private readonly probeSchema: Schema;
  private readonly probeKeys: readonly CompiledExpr[];
  private readonly probeIsLeft: boolean;
  private readonly predicate: CompiledPredicate | null;
  private readonly batchRows: number;
  private readonly columns: readonly OutputColumn[];
  private readonly arrowSchema: ArrowSchema;
  private sealed = false;
  private finished = false;
  /** Per distinct build key, 1 once probed (build side tracked, no condition). */
  private keyMatched: Uint8Array | null = null;
  /** Per build row, 1 once matched (build side tracked, with a condition). */
  private rowMatched: Uint8Array | null = null;
  /** The candidate chunk (probe row, build row; -1 = placeholder), reused by every probe. */
  private candProbe = new Int32Array(0);
  private candBuild = new Int32Array(0);
  private candCount = 0;
  /** The probe row being walked, and whether it has matched yet. */
  private lastProbe = -1;
  private lastMatched = false;
  private out: OutputBuffer | null = null;

  constructor(
    readonly spec: JoinSpec,
    options: HashJoinerOptions = {},
  ) {
    this.batchRows = options.batchRows ?? JOIN_BATCH_ROWS;
    if (!Number.isInteger(this.batchRows) || this.batchRows < 1) {
      throw new PaylakeError('INTERNAL', `hash join: batchRows must be a positive integer, got ${this.batchRows}; please report this`);
    }
    if (spec.leftKeys.length !== spec.rightKeys.length) {
      throw new PaylakeError('INTERNAL', `hash join: ${spec.leftKeys.length} left keys but ${spec.rightKeys.length} right keys; please report this`);
    }
    this.roles = joinRoles(spec.type, spec.buildSide);
    this.probeIsLeft = spec.buildSide === 'right';
    const [buildSchema, buildKeys] = this.probeIsLeft ? [spec.right, spec.rightKeys] : [spec.left, spec.leftKeys];
    const [probeSchema, probeKeys] = this.probeIsLeft ? [spec.left, spec.leftKeys] : [spec.right, spec.rightKeys];
    this.build = new JoinBuildTable(buildSchema, buildKeys);
    this.probeSchema = probeSchema;
    this.probeKeys = probeKeys.map((k) => compileExpr(k, probeSchema));
    this.probeKeys.forEach((k, i) => {
      const b = this.build.keyTypes[i]!;
      if (!sameType(k.type, b)) {
        throw new PaylakeError('INTERNAL', `hash join: key ${i + 1} is ${typeName(k.type)} on the probe side (${displayExpr(probeKeys[i]!)}) but ${typeName(b)} on the build side (${displayExpr(buildKeys[i]!)}); the planner must cast both to one type; please report this`);
      }
    });
    this.predicate = spec.condition === null ? null : compilePredicate(spec.condition, schemaOf([...spec.left.fields, ...spec.right.fields]));
    this.columns = this.outputColumns();
    this.arrowSchema = this.checkedOutputSchema();
  }

  /** Adds a batch of the build side; every build batch comes before the first probe. */
  addBuild(batch: RecordBatch): void {
    if (this.finished) throw new PaylakeError('INTERNAL', 'hash join: addBuild after finish; please report this');
    this.build.add(batch);
  }

  /** Joins one batch of the probe side against the build side; the output batches, in order. */
  probe(batch: RecordBatch): RecordBatch[] {
    if (this.finished) throw new PaylakeError('INTERNAL', 'hash join: probe after finish; please report this');
    this.seal();
    const n = batch.numRows;
    if (n === 0) return [];
    const input = new BatchInput(batch, this.probeSchema);
    const ids = this.build.lookup(this.probeKeys.map((k) => k.evaluateColumn(input, null)), n);
    const roles = this.roles;
    const out = this.output((p, b) => this.assemble(input, p, b));
    if (this.predicate === null && !roles.pairs) {
      // Semi/anti without a condition: a key match is the answer, no pairs needed.
      if (roles.probeSemi || roles.probeAnti) {
        for (let i = 0; i < n; i++) if (this.hasRows(ids[i]!) === roles.probeSemi) out.push(i, -1);
      } else {
        const flags = this.keyMatched!;
        for (let i = 0; i < n; i++) if (ids[i]! >= 0) flags[ids[i]!] = 1;
      }
      return out.done();
    }
    this.walkCandidates(input, ids, out);
    return out.done();
  }

  /** The build rows the join type emits: unmatched (outer, anti) or matched (semi). Call once, after the last probe. */
  finish(): RecordBatch[] {
    if (this.finished) throw new PaylakeError('INTERNAL', 'hash join: finish called twice; please report this');
    this.seal();
    this.finished = true;
    const roles = this.roles;
    if (!roles.buildOuter && !roles.buildSemi && !roles.buildAnti) return [];
    const want = roles.buildSemi ? 1 : 0;
    const out = this.output((_p, b) => this.assemble(null, null, b));
    const rowMatched = this.rowMatched;
    const keyMatched = this.keyMatched!;
    const build = this.build;
    for (let r = 0; r < build.rowCount; r++) {
      const matched = rowMatched !== null ? rowMatched[r]! : keyMatched[build.keyOf(r)]!;
      if (matched === want) out.push(-1, r);
    }
    return out.done();
  }

  /** Bytes held for the build side (its rows, key table, indexes and match flags), for the memory budget. */
  estimatedBytes(): number {
    return this.build.estimatedBytes() + (this.keyMatched?.byteLength ?? 0) + (this.rowMatched?.byteLength ?? 0);
  }

  private hasRows(g: number): boolean {
    return g >= 0 && this.build.end(g) > this.build.start(g);
  }

  private seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    this.build.seal();
    const roles = this.roles;
    if (!roles.buildOuter && !roles.buildSemi && !roles.buildAnti) return;
    if (this.predicate === null) this.keyMatched = new Uint8Array(this.build.keyCount);
    else this.rowMatched = new Uint8Array(this.build.rowCount);
  }

  /** The output buffer (allocated once, reused by every call), set to assemble with `assemble`. */
  private output(assemble: Assemble): OutputBuffer {
    this.out ??= new OutputBuffer(this.batchRows);
    this.out.begin(assemble);
    return this.out;
  }

  /**
   * Buffers the candidates (probe row, build row) of a probe batch in probe-row order, each key's rows in
   * insertion order, resolving each full chunk. A probe row whose key has no rows gets one placeholder
   * (build row -1) when an unmatched probe row is emitted, so it is closed in its place.
   */
  private walkCandidates(input: BatchInput, ids: Int32Array, out: OutputBuffer): void {
    if (this.candProbe.length === 0) {
      this.candProbe = new Int32Array(this.batchRows);
      this.candBuild = new Int32Array(this.batchRows);
    }
    this.candCount = 0;
    this.lastProbe = -1;
    this.lastMatched = false;
    const placeholder = this.roles.probeOuter || this.roles.probeAnti;
    const build = this.build;
    const keyRows = build.keyRows;
    const capacity = this.batchRows;
    for (let i = 0; i < ids.length; i++) {
      const g = ids[i]!;
      let s = g >= 0 ? build.start(g) : 0;
      const e = g >= 0 ? build.end(g) : 0;
      if (s === e) {
        if (!placeholder) continue;
        this.candProbe[this.candCount] = i;
        this.candBuild[this.candCount] = -1;
        if (++this.candCount === capacity) this.resolve(input, out);
        continue;
      }
      while (s < e) {
        const take = Math.min(e - s, capacity - this.candCount);
        this.candProbe.fill(i, this.candCount, this.candCount + take);
        this.candBuild.set(keyRows.subarray(s, s + take), this.candCount);
        this.candCount += take;
        s += take;
        if (this.candCount === capacity) this.resolve(input, out);
      }
    }
    this.resolve(input, out);
    this.closeProbeRow(out);
  }

  /** Evaluates the condition over the buffered candidates, then walks them in order. */
  private resolve(input: BatchInput, out: OutputBuffer): void {
    const m = this.candCount;
    if (m === 0) return;
    this.candCount = 0;
    const candProbe = this.candProbe;
    const candBuild = this.candBuild;
    const pass = this.passing(input, m);
    const roles = this.roles;
    for (let k = 0; k < m; k++) {
      const p = candProbe[k]!;
      if (p !== this.lastProbe) {
        this.closeProbeRow(out);
        this.lastProbe = p;
        this.lastMatched = false;
      }
      if (pass[k] === 0) continue;
      const b = candBuild[k]!;
      if (roles.probeSemi && !this.lastMatched) out.push(p, -1);
      this.lastMatched = true;
      if (roles.pairs) out.push(p, b);
      if (this.rowMatched !== null) this.rowMatched[b] = 1;
      else if (this.keyMatched !== null) this.keyMatched[this.build.keyOf(b)] = 1;
    }
  }

  /** 1 for each of the first `m` candidates that has a build row and satisfies the condition. */
  private passing(input: BatchInput, m: number): Uint8Array {
    const pass = new Uint8Array(m);
    const candBuild = this.candBuild;
    if (this.predicate === null) {
      for (let k = 0; k < m; k++) if (candBuild[k]! >= 0) pass[k] = 1;
      return pass;
    }
    // Only real pairs are evaluated: a placeholder has no build row.
    let real = 0;
    for (let k = 0; k < m; k++) if (candBuild[k]! >= 0) real++;
    if (real === 0) return pass;
    const positions = new Int32Array(real);
    const probeRows = new Int32Array(real);
    const buildRows = new Int32Array(real);
    for (let k = 0, j = 0; k < m; k++) {
      if (candBuild[k]! < 0) continue;
      positions[j] = k;
      probeRows[j] = this.candProbe[k]!;
      buildRows[j++] = candBuild[k]!;
    }
    const pairs = new CandidateInput(real, (index, sel) => this.joinedColumn(input, index, pick(probeRows, sel), pick(buildRows, sel)));
    const selected = this.predicate.selectInput(pairs, null);
    for (let j = 0; j < selected.length; j++) pass[positions[selected[j]!]!] = 1;
    return pass;
  }

  /** Emits the walked probe row's unmatched row (outer: build side NULL; anti: the row) if it never matched. */
  private closeProbeRow(out: OutputBuffer): void {
    const p = this.lastProbe;
    if (p < 0 || this.lastMatched) return;
    if (this.roles.probeOuter || this.roles.probeAnti) out.push(p, -1);
  }

  /** Column `index` of the joined schema (left ++ right) for candidate pairs. */
  private joinedColumn(probe: BatchInput, index: number, probeRows: Int32Array, buildRows: Int32Array): Column {
    const leftWidth = this.spec.left.fields.length;
    const isLeft = index < leftWidth;
    const field = isLeft ? index : index - leftWidth;
    return isLeft === this.probeIsLeft ? takeColumn(probe.column(field, null), probeRows) : this.build.gather(field, buildRows);
  }

  /** One output batch: probe rows (probe null = that side all NULL) paired with build rows (-1 = NULL). */
  private assemble(probe: BatchInput | null, probeRows: Int32Array | null, buildRows: Int32Array): RecordBatch {
    const n = buildRows.length;
    const children = this.columns.map((c) => {
      let col: Column;
      if (c.side === 'build') col = this.build.gather(c.field, buildRows);
      else if (probe === null || probeRows === null) col = nullColumn(this.probeSchema.fields[c.field]!.type, n);
      else col = takeColumn(probe.column(c.field, null), probeRows);
      return columnToData(col);
    });
    return new RecordBatch(this.arrowSchema, makeData({ type: new Struct(this.arrowSchema.fields), length: n, nullCount: 0, children }));
  }

  private outputColumns(): OutputColumn[] {
    const side = (left: boolean): OutputColumn['side'] => (left === this.probeIsLeft ? 'probe' : 'build');
    const cols: OutputColumn[] = this.spec.left.fields.map((_f, i) => ({ side: side(true), field: i }));
    if (this.roles.pairs) cols.push(...this.spec.right.fields.map((_f, i) => ({ side: side(false), field: i })));
    return cols;
  }

  /** The Arrow schema of the output: `spec.output`'s names and nullability, checked against the inputs' types. */
  private checkedOutputSchema(): ArrowSchema {
    const out = this.spec.output.fields;
    const inputs: PaylakeField[] = this.columns.map((c) => (c.side === 'probe' ? this.probeSchema : this.build.schema).fields[c.field]!);
    if (out.length !== inputs.length || out.some((f, i) => !sameType(f.type, inputs[i]!.type))) {
      const show = (fs: readonly PaylakeField[]): string => fs.map((f) => `${f.name} ${typeName(f.type)}`).join(', ');
      throw new PaylakeError('INTERNAL', `hash join (${this.spec.type}): output schema (${show(out)}) does not match the joined columns (${show(inputs)}); please report this`);
    }
    return schemaToArrow(this.spec.output);
  }
}

/** Builds one output batch from (probe row, build row) pairs. */
type Assemble = (probeRows: Int32Array | null, buildRows: Int32Array) => RecordBatch;

/** Collects (probe row, build row) pairs and cuts them into output batches of at most `capacity` rows. */
class OutputBuffer {
  private readonly probeRows: Int32Array;
  private readonly buildRows: Int32Array;
  private count = 0;
  private batches: RecordBatch[] = [];
  private assemble: Assemble | null = null;

  constructor(private readonly capacity: number) {
    this.probeRows = new Int32Array(capacity);
    this.buildRows = new Int32Array(capacity);
  }

  /** Starts a new output (one probe or finish call). */
  begin(assemble: Assemble): void {
    this.assemble = assemble;
    this.count = 0;
    this.batches = [];
  }

  push(p: number, b: number): void {
    this.probeRows[this.count] = p;
    this.buildRows[this.count] = b;
    if (++this.count === this.capacity) this.flush();
  }

  /** The batches of this output; the buffer is free for the next. */
  done(): RecordBatch[] {
    this.flush();
    const batches = this.batches;
    this.batches = [];
    this.assemble = null;
    return batches;
  }

  private flush(): void {
    if (this.count === 0) return;
    const n = this.count;
    this.count = 0;
    this.batches.push(this.assemble!(this.probeRows.slice(0, n), this.buildRows.slice(0, n)));
  }
}

/** `rows` restricted to the positions `sel` (all of it when null). */
function pick(rows: Int32Array, sel: Uint32Array | null): Int32Array {
  if (sel === null) return rows;
  const out = new Int32Array(sel.length);
  for (let j = 0; j < sel.length; j++) out[j] = rows[sel[j]!]!;
  return out;
}

/** Candidate pairs as the condition's input: each joined column gathered on first use per selection. */
class CandidateInput implements EvalInput {
  private readonly cache = new Map<Uint32Array | null, Map<number, Column>>();

  constructor(
    readonly numRows: number,
    private readonly gather: (index: number, sel: Uint32Array | null) => Column,
  ) {}

  column(index: number, sel: Uint32Array | null): Column {
    let bySel = this.cache.get(sel);
    if (bySel === undefined) {
      bySel = new Map();
      this.cache.set(sel, bySel);
    }
    let c = bySel.get(index);
    if (c === undefined) {
      c = this.gather(index, sel);
      bySel.set(index, c);
    }
    return c;
  }
}

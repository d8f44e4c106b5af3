// The DataFrame: a lazy, immutable description of a computation. Transformations return new DataFrames
// and run nothing; actions (collect, count, countByValue, show, toArrow, write) optimize the plan, plan it
// physically (pruning partitions and row groups) and run it on the session's worker pool.
import type { Writable } from 'node:stream';
import { Table } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { PaylakeError } from '../errors/paylake-error.js';
import { formatterFor } from '../report/value-formatter.js';
import type { JsonValue } from '../report/value-formatter.js';
import { writeReport } from '../report/report-writer.js';
import { streamPlan } from './exec/plan-executor.js';
import { ProgressReporter } from './exec/progress-reporter.js';
import { AliasNode } from './expr/nodes/alias-node.js';
import { ColumnNode } from './expr/nodes/column-node.js';
import { parseExpression } from './expr/parser/parse-expression.js';
import type { SortKey } from './expr/sort-key.js';
import { optimize } from './optimizer/optimizer.js';
import { displayPhysicalPlan } from './physical/display-physical-plan.js';
import { createPhysicalPlan } from './physical/physical-planner.js';
import type { PhysicalPlan } from './physical/physical-plan.js';
import { displayPlan } from './plan/display-plan.js';
import type { LogicalPlan } from './plan/logical-plan.js';
import { aggregate, filter, limit, project, sort, union, withColumn } from './plan/plan-builder.js';
import type { ExprInput } from './plan/plan-builder.js';
import { deduplicate, join, parseJoinType } from './plan/join-builder.js';
import { schemaToArrow } from './types/arrow-type.js';
import type { Schema } from './types/schema.js';
import { fieldIndex } from './types/schema.js';
import type { Session } from './session.js';
import { DataFrameWriter } from './dataframe-writer.js';

/** One row as `collect()` returns it, in the JSON output contract (see README). */
export type Row = Record<string, JsonValue>;

/** A value and how often it occurs, as `countByValue` returns them. */
export interface ValueCount {
  readonly value: JsonValue;
  readonly count: number;
}

/**
 * A lazy, immutable DataFrame.
 * @example
 * const top = await tx.filter("status = 'APPROVED' AND amount_minor > 10000")
 *   .groupBy('merchant_id').agg('sum(amount_minor) AS gross', 'count(*) AS n')
 *   .orderBy('gross DESC').limit(10).collect();
 */
export class DataFrame {
  constructor(
    readonly session: Session,
    readonly plan: LogicalPlan,
  ) {}

  /** The columns and their types. */
  get schema(): Schema {
    return this.plan.schema;
  }

  /** The column names. */
  get columns(): string[] {
    return this.plan.schema.fields.map((f) => f.name);
  }

  /**
   * Computes the given columns; strings may hold several comma-separated expressions with aliases.
   * @example df.select('merchant_id', 'amount_minor / 100.0 AS amount')
   */
  select(...items: ExprInput[]): DataFrame {
    return this.with(project(this.plan, items));
  }

  /**
   * Adds a column, or replaces the one of that name.
   * @example df.withColumn('day', 'to_date(event_time)')
   */
  withColumn(name: string, value: ExprInput): DataFrame {
    return this.with(withColumn(this.plan, name, value));
  }

  /**
   * Keeps the rows where the condition is TRUE (NULL and FALSE drop).
   * @example df.filter("status = 'APPROVED' AND amount_minor > 10000")
   */
  filter(condition: ExprInput): DataFrame {
    return this.with(filter(this.plan, condition));
  }

  /** The same as {@link filter}. */
  where(condition: ExprInput): DataFrame {
    return this.filter(condition);
  }

  /**
   * Groups rows for an aggregation.
   * @example df.groupBy('merchant_id', 'currency').agg('sum(amount_minor) AS gross')
   */
  groupBy(...keys: ExprInput[]): GroupedData {
    return new GroupedData(this, keys);
  }

  /**
   * Aggregates the whole DataFrame into one row.
   * @example df.agg('count(*) AS n, sum(amount_minor) AS total')
   */
  agg(...aggregates: ExprInput[]): DataFrame {
    return this.with(aggregate(this.plan, [], aggregates));
  }

  /**
   * Orders rows (stable). Ascending keys put NULLs first, descending last, as Spark does.
   * @example df.orderBy('gross DESC, merchant_id')
   */
  orderBy(keys: string | readonly SortKey[]): DataFrame {
    return this.with(sort(this.plan, keys));
  }

  /** Keeps the first `count` rows. After `orderBy`, this is a top-N that never sorts everything. */
  limit(count: number): DataFrame {
    return this.with(limit(this.plan, count));
  }

  /** UNION ALL by column position; names come from this DataFrame. */
  union(...others: DataFrame[]): DataFrame {
    for (const o of others) {
      if (o.session !== this.session) throw new PaylakeError('USAGE', 'cannot union DataFrames of different sessions');
    }
    return this.with(union([this.plan, ...others.map((o) => o.plan)]));
  }

  /**
   * Joins with another DataFrame of this session (Spark SQL semantics: NULL keys never match). `on` is either a
   * list of column names both have (their values come out once, first) or a condition over both sides'
   * columns with at least one `left_col = right_col`; `how` is inner, left, right, full, left_semi or
   * left_anti (Spark's spellings such as left_outer and leftsemi work too).
   * @example tx.join(bank, 'txn_id = psp_reference', 'left')
   * @example tx.join(merchants, ['merchant_id'])
   */
  join(other: DataFrame, on: ExprInput | readonly string[], how: string = 'inner'): DataFrame {
    if (other.session !== this.session) throw new PaylakeError('USAGE', 'cannot join DataFrames of different sessions');
    return this.with(join(this.plan, other.plan, on, parseJoinType(how)));
  }

  /**
   * Keeps one row per distinct value of `columns` (all columns when none are named): the first in input
   * order (files in listing order, then rows in file order), whatever the number of workers.
   * @example tx.dropDuplicates(['txn_id'])
   */
  dropDuplicates(columns: readonly string[] = []): DataFrame {
    return this.with(deduplicate(this.plan, columns));
  }

  /** Distinct rows (the first of each set of equal rows, as {@link dropDuplicates} with no columns). */
  distinct(): DataFrame {
    return this.dropDuplicates();
  }

  /**
   * Renames a column; a name that does not exist is an error.
   * @example bank.withColumnRenamed('currency', 'bank_currency')
   */
  withColumnRenamed(existing: string, name: string): DataFrame {
    const at = fieldIndex(this.plan.schema, existing);
    return this.select(...this.plan.schema.fields.map((f, i) => (i === at ? AliasNode.create(ColumnNode.create(f.name), name) : ColumnNode.create(f.name))));
  }

  /** Writes the result to files (Parquet, CSV, JSON lines). */
  get write(): DataFrameWriter {
    return new DataFrameWriter(this);
  }

  /** The result as an Arrow table (exact values: int64 as bigint, decimals as Decimal128). */
  async toArrow(): Promise<Table> {
    const batches = await this.execute();
    return batches.length > 0 ? new Table(batches) : new Table(schemaToArrow(this.schema));
  }

  /** Every row, with values as in the JSON output contract (int64 beyond 2^53 and decimals as strings). */
  async collect(): Promise<Row[]> {
    return rowsOf(await this.execute(), this.schema);
  }

  /** The number of rows. */
  async count(): Promise<number> {
    const [row] = await this.agg('count(*) AS n').collect();
    return Number(row?.n ?? 0);
  }

  /**
   * How often each value of an expression occurs, as a DataFrame of `value` and `count`, most frequent
   * first, then by value ascending (NULL first).
   * @example tx.valueCounts('status').limit(3)
   */
  valueCounts(expr: ExprInput): DataFrame {
    const value = AliasNode.create(typeof expr === 'string' ? parseExpression(expr) : expr, 'value');
    return this.with(aggregate(this.plan, [value], ['count(*) AS count'])).orderBy('count DESC, value ASC NULLS FIRST');
  }

  /**
   * {@link valueCounts} collected.
   * @example await tx.countByValue('status') // [{ value: 'APPROVED', count: 180231 }, ...]
   */
  async countByValue(expr: ExprInput): Promise<ValueCount[]> {
    return (await this.valueCounts(expr).collect()).map((r) => ({ value: r.value ?? null, count: Number(r.count) }));
  }

  /** Prints the first `n` rows as a table. */
  async show(n = 20, out: Writable = process.stdout): Promise<void> {
    await writeReport(await this.limit(n).toArrow(), 'table', out);
  }

  /** The logical, optimized and physical plans, with what pruning skipped. */
  async explain(): Promise<string> {
    const { optimized, physical } = await this.plans();
    return [
      '== Logical plan ==',
      displayPlan(this.plan),
      '',
      '== Optimized plan ==',
      displayPlan(optimized),
      '',
      '== Physical plan ==',
      displayPhysicalPlan(physical),
      '',
    ].join('\n');
  }

  /** Runs the plan and returns its batches in a deterministic order. */
  async execute(): Promise<RecordBatch[]> {
    const out: RecordBatch[] = [];
    await this.forEachBatch((b) => void out.push(b));
    return out;
  }

  /**
   * Runs the plan and hands each result batch to `consume` as it arrives, in the same deterministic order as
   * `collect`, holding one batch at a time (writers use it for results larger than memory).
   * @example await df.forEachBatch((batch) => { rows += batch.numRows; })
   */
  async forEachBatch(consume: (batch: RecordBatch) => void | Promise<void>): Promise<void> {
    const { physical } = await this.plans();
    const progress = new ProgressReporter({ quiet: !this.session.progress });
    const ctx = {
      pool: this.session.workerPool(),
      progress,
      scratchDir: this.session.scratchDir,
      taskMemoryBytes: this.session.taskMemoryBytes,
      faults: this.session.faults,
      ...(this.session.signal === undefined ? {} : { signal: this.session.signal }),
      metrics: this.session.beginRunMetrics(),
      ...(this.session.onRejects === undefined ? {} : { onRejects: this.session.onRejects }),
    };
    await streamPlan(physical, ctx, consume);
  }

  private async plans(): Promise<{ optimized: LogicalPlan; physical: PhysicalPlan }> {
    const optimized = optimize(this.plan, { disabledRules: this.session.disabledRules });
    return { optimized, physical: await createPhysicalPlan(optimized, this.session.plannerContext()) };
  }

  private with(plan: LogicalPlan): DataFrame {
    return new DataFrame(this.session, plan);
  }
}

/** Rows grouped by keys, waiting for their aggregates. */
export class GroupedData {
  constructor(
    private readonly df: DataFrame,
    private readonly keys: readonly ExprInput[],
  ) {}

  /**
   * The keys, then one column per aggregate.
   * @example df.groupBy('currency').agg('sum(amount_minor) AS gross', 'count(DISTINCT card_token) AS cards')
   */
  agg(...aggregates: ExprInput[]): DataFrame {
    return new DataFrame(this.df.session, aggregate(this.df.plan, this.keys, aggregates));
  }

  /** The keys and a `count` column. */
  count(): DataFrame {
    return this.agg('count(*) AS count');
  }
}

function rowsOf(batches: readonly RecordBatch[], schema: Schema): Row[] {
  const rows: Row[] = [];
  for (const b of batches) {
    const columns = schema.fields.map((f, c) => {
      const data = b.data.children[c]!;
      return { name: f.name, data, format: formatterFor(data.type, f.name) };
    });
    for (let i = 0; i < b.numRows; i++) {
      const row: Row = {};
      for (const col of columns) row[col.name] = col.format.json(col.data, i);
      rows.push(row);
    }
  }
  return rows;
}

// The physical planner on a real partitioned dataset written by DuckDB: operator choice, the worker/
// coordinator boundary, and partition plus statistics pruning as explain reports them.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverParquetDataset } from '../../../lib/io/dataset/parquet-dataset.js';
import type { ParquetDataset } from '../../../lib/io/dataset/parquet-dataset.js';
import { optimize } from '../../../lib/dataframe/optimizer/optimizer.js';
import { displayPhysicalPlan } from '../../../lib/dataframe/physical/display-physical-plan.js';
import { createPhysicalPlan } from '../../../lib/dataframe/physical/physical-planner.js';
import type { PlannerContext } from '../../../lib/dataframe/physical/physical-planner.js';
import { partitionPredicate } from '../../../lib/dataframe/physical/scan/partition-pruning.js';
import { ScanNode } from '../../../lib/dataframe/plan/nodes/scan-node.js';
import { aggregate, filter, limit, sort } from '../../../lib/dataframe/plan/plan-builder.js';
import type { LogicalPlan } from '../../../lib/dataframe/plan/logical-plan.js';
import { schemaFromArrow } from '../../../lib/dataframe/types/arrow-type.js';

let dir: string;
let dataset: ParquetDataset;
let scan: LogicalPlan;
const ctx: PlannerContext = {
  dataset: async () => dataset,
  textFiles: async () => [],
  partitionPredicate,
  shuffle: { partitionsFor: () => 4, broadcastThresholdBytes: 10 * 1024 ** 2 },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paylake-physical-'));
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run(`COPY (
    SELECT 'tx' || i AS txn_id,
           CASE WHEN i % 10 = 0 THEN 'DECLINED' ELSE 'APPROVED' END AS status,
           'm' || (i % 7) AS merchant_id,
           (i * 100)::BIGINT AS amount_minor,
           DATE '2026-11-01' + (i // 3000)::INTEGER AS dt
    FROM range(12000) t(i) ORDER BY i
  ) TO '${join(dir, 'tx')}' (FORMAT parquet, PARTITION_BY (dt), ROW_GROUP_SIZE 2048)`);
  db.closeSync();
  dataset = await discoverParquetDataset([join(dir, 'tx')]);
  scan = ScanNode.create({ format: 'parquet', text: null, paths: ['tx'], schema: schemaFromArrow(dataset.schema), partitionColumns: ['dt'] });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function explain(plan: LogicalPlan): Promise<string> {
  return displayPhysicalPlan(await createPhysicalPlan(optimize(plan), ctx));
}

describe('physical planner', () => {
  it('splits an aggregation into a per-task partial phase, a hash exchange on the keys and a per-partition final phase, with pruning', async () => {
    const plan = limit(
      sort(aggregate(filter(scan, "dt >= '2026-11-03' AND amount_minor > 1000000"), ['merchant_id'], ['sum(amount_minor) AS gross, count(*) AS n']), 'gross DESC'),
      3,
    );
    const text = await explain(plan);
    expect(text).toMatch(
      new RegExp(
        [
          '^TopN 3 \\[gross DESC NULLS LAST\\]',
          '  Gather \\(4 tasks on the worker pool, results in task order\\)',
          '    TopN 3 \\[gross DESC NULLS LAST\\]',
          '      HashAggregate\\(final\\) keys=\\[merchant_id\\] aggregates=\\[sum\\(amount_minor\\) AS gross, count\\(1\\) AS n\\]',
          '        Exchange hash\\(merchant_id\\) into 4 partitions \\(map tasks write scratch files\\)',
          '          HashAggregate\\(partial\\) keys=\\[merchant_id\\] aggregates=\\[sum\\(amount_minor\\) AS gross, count\\(1\\) AS n\\]',
          '            ParquetScan \\[tx\\] columns=\\[merchant_id, amount_minor\\] filters=\\[\\(amount_minor > 1000000L\\)\\]',
          '              pruning: files 4 → 2 \\(by partition\\), row groups \\d+ → \\d+ \\(\\d+ by statistics, \\d+ by dictionary\\), reading .* MB of .* MB$',
        ].join('\\n'),
      ),
    );
  });

  it('keeps a plain filter and projection per task and gathers at the root', async () => {
    const text = await explain(filter(scan, "status = 'DECLINED'"));
    expect(text.split('\n').slice(0, 2)).toEqual([
      'Gather (8 tasks on the worker pool, results in task order)',
      "  ParquetScan [tx] columns=[txn_id, status, merchant_id, amount_minor, dt] filters=[(status = 'DECLINED')]",
    ]);
  });

  it('stops each task early under a plain limit', async () => {
    const text = await explain(limit(scan, 5));
    expect(text.split('\n').slice(0, 3)).toEqual(['Limit 5', '  Gather (8 tasks on the worker pool, results in task order)', '    Limit 5']);
  });

  it('prunes every file when no partition matches', async () => {
    const text = await explain(filter(scan, "dt = '2027-01-01'"));
    expect(text).toContain('files 4 → 0 (by partition), row groups 8 → 0');
  });
});

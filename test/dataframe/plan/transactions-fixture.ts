// A scan over a made-up transactions source, for plan and optimizer tests that never touch files.
import type { LogicalPlan } from '../../../lib/dataframe/plan/logical-plan.js';
import { ScanNode } from '../../../lib/dataframe/plan/nodes/scan-node.js';
import { types } from '../../../lib/dataframe/types/data-type.js';
import { schemaOf } from '../../../lib/dataframe/types/schema.js';

/** Scan of `data/transactions` with a dt partition column. */
export function transactionsScan(): LogicalPlan {
  return ScanNode.create({
    format: 'parquet',
    text: null,
    paths: ['data/transactions'],
    partitionColumns: ['dt'],
    schema: schemaOf([
      { name: 'txn_id', type: types.string, nullable: false },
      { name: 'status', type: types.string, nullable: false },
      { name: 'merchant_id', type: types.string, nullable: false },
      { name: 'currency', type: types.string, nullable: false },
      { name: 'amount_minor', type: types.int64, nullable: false },
      { name: 'card_token', type: types.string, nullable: false },
      { name: 'latency_ms', type: types.int32, nullable: true },
      { name: 'dt', type: types.date, nullable: true },
    ]),
  });
}

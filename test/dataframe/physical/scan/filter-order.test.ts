import { describe, expect, it } from 'vitest';
import { analyzeExpr } from '../../../../lib/dataframe/expr/analyze-expr.js';
import { displayExpr } from '../../../../lib/dataframe/expr/display-expr.js';
import { parseExpression } from '../../../../lib/dataframe/expr/parser/parse-expression.js';
import { foldExpr } from '../../../../lib/dataframe/optimizer/rules/fold-constants.js';
import { orderByCost } from '../../../../lib/dataframe/physical/scan/filter-order.js';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import { schemaOf } from '../../../../lib/dataframe/types/schema.js';

const schema = schemaOf([
  { name: 'status', type: types.string, nullable: false },
  { name: 'merchant_id', type: types.string, nullable: false },
  { name: 'amount_minor', type: types.int64, nullable: false },
  { name: 'dt', type: types.date, nullable: false },
]);

describe('orderByCost', () => {
  it('puts fixed-width comparisons before string tests and pattern matching, keeping the written order among equals', () => {
    const conjuncts = ["merchant_id LIKE 'm_00%'", "status = 'APPROVED'", 'amount_minor > 10000', "dt = '2026-11-01'"].map(
      // Folded, as the optimizer leaves scan filters.
      (t) => foldExpr(analyzeExpr(parseExpression(t), schema).expr),
    );
    expect(orderByCost(conjuncts, schema).map(displayExpr)).toEqual([
      '(amount_minor > 10000L)',
      "(dt = DATE '2026-11-01')",
      "(status = 'APPROVED')",
      "(merchant_id LIKE 'm_00%')",
    ]);
  });
});

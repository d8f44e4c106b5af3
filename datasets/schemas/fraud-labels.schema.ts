// The Arrow schema of the fraud ground truth (`labels/fraud/dt=YYYY-MM-DD/part-NNNNN.parquet`).
import { Field, Schema, Utf8 } from 'apache-arrow';

/** Injected fraud scenarios, as written in the `scenario` column. */
export const FRAUD_SCENARIOS = ['card_testing', 'compromised_terminal', 'account_takeover', 'impossible_travel'] as const;
/** One fraud scenario. */
export type FraudScenario = (typeof FRAUD_SCENARIOS)[number];

/** One row per labelled event: which event, which scenario, which scenario instance. */
export const fraudLabelsSchema: Schema = new Schema([
  new Field('txn_id', new Utf8(), false),
  new Field('scenario', new Utf8(), false),
  new Field('scenario_id', new Utf8(), false),
]);

// The columns of the acquirer settlement CSV (`bank/settlement-YYYY-MM-DD.csv`); see datasets/README.md for
// what each column holds on DETAIL, FEE, PAYOUT and TRAILER records.
import { Field, Int64, Schema, Utf8 } from 'apache-arrow';

/** Header of the settlement file, in order. */
export const SETTLEMENT_COLUMNS = [
  'record_type',
  'settlement_batch_id',
  'settlement_date',
  'merchant_id',
  'psp_reference',
  'acquirer_reference_number',
  'txn_type',
  'card_brand',
  'card_bin',
  'card_last4',
  'txn_datetime_utc',
  'txn_currency',
  'gross_amount_minor',
  'fx_rate',
  'settlement_currency',
  'gross_settlement_minor',
  'interchange_minor',
  'scheme_fee_minor',
  'markup_minor',
  'net_amount_minor',
  'direction',
  // TRAILER only (empty on every other record): the control totals of the batch and settlement currency.
  'record_count',
  'payout_minor',
] as const;

/** One settlement column. */
export type SettlementColumn = (typeof SETTLEMENT_COLUMNS)[number];

/** Record types of the settlement file. ADJUSTMENT is part of the format but the generator writes none. */
export const SETTLEMENT_RECORD_TYPES = ['DETAIL', 'FEE', 'ADJUSTMENT', 'PAYOUT', 'TRAILER'] as const;

const INT_COLUMNS: ReadonlySet<string> = new Set([
  'gross_amount_minor',
  'gross_settlement_minor',
  'interchange_minor',
  'scheme_fee_minor',
  'markup_minor',
  'net_amount_minor',
  'record_count',
  'payout_minor',
]);

/**
 * The file read as typed columns: amounts and `record_count` int64 (empty cell = NULL), everything else text
 * (fx_rate is a decimal string; read it as decimal(20,10) or as a scaled integer, never as a float).
 */
export const settlementSchema: Schema = new Schema(
  SETTLEMENT_COLUMNS.map((name) => new Field(name, INT_COLUMNS.has(name) ? new Int64() : new Utf8(), true)),
);

// The Arrow schema of the transactions event log (`transactions/dt=YYYY-MM-DD/part-NNNNN.parquet`).
// Jobs and tests import it; datasets/README.md describes every column.
import { Field, Int32, Int64, Schema, TimestampMicrosecond, Utf8 } from 'apache-arrow';

/** Column names of the transactions dataset, in file order. */
export const TRANSACTION_COLUMNS = [
  'txn_id',
  'payment_id',
  'parent_txn_id',
  'event_type',
  'status',
  'response_code',
  'event_time',
  'merchant_id',
  'mcc',
  'terminal_id',
  'channel',
  'entry_mode',
  'card_token',
  'card_bin',
  'card_last4',
  'card_brand',
  'card_funding',
  'issuer_country',
  'merchant_country',
  'ip_country',
  'device_id',
  'amount_minor',
  'currency',
  'acquirer_id',
  'latency_ms',
  'error_code',
] as const;

/** One column name of the transactions dataset. */
export type TransactionColumn = (typeof TRANSACTION_COLUMNS)[number];

/** Columns that may hold NULL. */
export const NULLABLE_TRANSACTION_COLUMNS: ReadonlySet<TransactionColumn> = new Set<TransactionColumn>([
  'parent_txn_id',
  'terminal_id',
  'ip_country',
  'device_id',
  'error_code',
]);

function typeOf(name: TransactionColumn): Utf8 | Int32 | Int64 | TimestampMicrosecond {
  switch (name) {
    case 'event_time':
      return new TimestampMicrosecond('UTC');
    case 'amount_minor':
      return new Int64();
    case 'mcc':
    case 'latency_ms':
      return new Int32();
    default:
      return new Utf8();
  }
}

/** The transactions schema: timestamps in µs UTC, money as int64 minor units, strings as Utf8. */
export const transactionsSchema: Schema = new Schema(
  TRANSACTION_COLUMNS.map((name) => new Field(name, typeOf(name), NULLABLE_TRANSACTION_COLUMNS.has(name))),
);

/** Event types of the log. */
export const EVENT_TYPES = ['AUTH', 'CAPTURE', 'VOID', 'REFUND', 'CHARGEBACK', 'CHARGEBACK_REVERSAL'] as const;
/** One event type. */
export type EventType = (typeof EVENT_TYPES)[number];

/** Event statuses of the log. */
export const EVENT_STATUSES = ['APPROVED', 'DECLINED', 'ERROR'] as const;
/** One event status. */
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** Payment channels. */
export const CHANNELS = ['POS', 'ECOM', 'MOBILE'] as const;
/** One channel. */
export type Channel = (typeof CHANNELS)[number];

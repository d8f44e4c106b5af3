// Why a JSON-lines record is rejected, and the sink rejects go to: the CSV reader's reject record
// (file, line, reason, message, raw) with the reasons a JSON line can have.
import type { CsvReject, CsvRejectSink } from '../csv/csv-rejects.js';

/**
 * Why a line was rejected. Stable: scripts and control totals count by these codes. TYPE_MISMATCH,
 * INVALID_UTF8 and RECORD_TOO_LARGE mean what they mean for CSV.
 * - INVALID_JSON: not valid JSON (RFC 8259), or an object with a key twice
 * - NOT_AN_OBJECT: valid JSON, but an array, string, number, boolean or null
 */
export type JsonLinesRejectReason = 'INVALID_JSON' | 'NOT_AN_OBJECT' | 'TYPE_MISMATCH' | 'INVALID_UTF8' | 'RECORD_TOO_LARGE';

/** One rejected line; `line` is its 1-based physical line number, `raw` its text cut to about 1000 characters. */
export type JsonLinesReject = CsvReject<JsonLinesRejectReason>;

/** Receives rejected lines; CsvRejectsWriter writes them as the same `file,line,reason,message,raw` file. */
export type JsonLinesRejectSink = CsvRejectSink<JsonLinesRejectReason>;

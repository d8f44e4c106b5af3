// A scan task hands the engine columns in their engine Arrow types only (narrow integers, ms timestamps
// and dictionaries widened at the edge), partition columns as constants and missing columns as NULL.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScanTask } from '../../../lib/dataframe/exec/scan-task-reader.js';
import { toArrowType } from '../../../lib/dataframe/types/arrow-type.js';
import { types } from '../../../lib/dataframe/types/data-type.js';
import { schemaOf } from '../../../lib/dataframe/types/schema.js';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paylake-scan-task-'));
  file = join(dir, 'narrow.parquet');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run(`COPY (SELECT i::TINYINT AS tiny, (i * 300)::SMALLINT AS small, epoch_ms(i * 1000)::TIMESTAMP AS ts_ms
    FROM range(100) t(i)) TO '${file}' (FORMAT parquet)`);
  db.closeSync();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readScanTask', () => {
  it('widens file types to engine types, adds partition constants and NULL for missing columns', async () => {
    const readSchema = schemaOf([
      { name: 'tiny', type: types.int32, nullable: true },
      { name: 'small', type: types.int32, nullable: true },
      { name: 'ts_ms', type: types.timestampNtz, nullable: true },
      { name: 'added_later', type: types.string, nullable: true },
      { name: 'dt', type: types.date, nullable: true },
    ]);
    const batches = await readScanTask({ uri: file, rowGroup: 0, readSchema, partitionColumns: ['dt'], partitionValues: [20_778] });
    const b = batches[0]!;
    readSchema.fields.forEach((f, i) => expect(String(b.data.children[i]!.type), f.name).toBe(String(toArrowType(f.type))));
    expect(b.getChild('tiny')!.get(7)).toBe(7);
    expect(b.getChild('small')!.get(7)).toBe(2100);
    expect((b.getChild('ts_ms')!.data[0]!.values as BigInt64Array)[3]).toBe(3_000_000n);
    expect(b.getChild('added_later')!.nullCount).toBe(b.numRows);
    expect(b.getChild('dt')!.data[0]!.values[0]).toBe(20_778);
  });
});

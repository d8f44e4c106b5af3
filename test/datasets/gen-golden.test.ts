// Pins the generator's output for one small parameter set, so that a performance change cannot silently change
// the data. Text outputs are pinned by their bytes, Parquet outputs by their rows in file order (independent of
// the paylake version in the footer). A deliberate change to the generated data updates these digests.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { resolveGenParams } from '../../datasets/gen/gen-params.js';
import { runGen } from '../../datasets/gen/run-gen.js';

const params = resolveGenParams({ rows: 20_000, days: 3, seed: 11, merchants: 300, cards: 5_000, fraudRate: 0.02, partRows: 4_000, rowGroupRows: 2_000 });

/** Digests as of the generator's first version (bank: after the TRAILER columns moved to record_count/payout_minor). */
const EXPECTED = {
  raw: 'beaacd6cbc7c212e6f8548c446f5773934355e12329b9767ed8e54d3072fa272',
  reference: 'f183c359c74d82c09e1a40eb48a9ca19bcc3ca8163d7e154dee633074ef54bf2',
  bank: 'e5e308db34767353bf4c9c28dbe721dec07bea0e1274d2bbde9911c9ce82d678',
  transactions: '34916a36d80bc690e3d2a4bd906631312ebad1b85f1de78f615c72f8af2bdfc2',
  labels: 'ce50cf5f9b0b92f60b8e45cad59be70f68bd85c690a50becf7f2fc997a13eb95',
};

let out: string;

async function listAll(dir: string, base = dir): Promise<string[]> {
  const files: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) files.push(...(await listAll(full, base)));
    else files.push(path.relative(base, full));
  }
  return files.sort();
}

async function bytesDigest(dir: string): Promise<string> {
  const h = createHash('sha256');
  for (const f of await listAll(dir)) {
    h.update(`${f}\n`);
    h.update(await readFile(path.join(dir, f)));
  }
  return h.digest('hex');
}

async function rowsDigest(dir: string): Promise<string> {
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  const files = (await listAll(dir)).map((f) => `'${path.join(dir, f)}'`).join(', ');
  const reader = await con.runAndReadAll(
    `SELECT * EXCLUDE (filename, file_row_number) FROM read_parquet([${files}], filename = true, file_row_number = true) ORDER BY filename, file_row_number`,
  );
  const h = createHash('sha256');
  for (const row of reader.getRowsJson()) h.update(`${JSON.stringify(row)}\n`);
  con.closeSync();
  return h.digest('hex');
}

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'paylake-gen-golden-'));
  await runGen({ outDir: out, params, workers: 1 });
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('paylake gen: pinned output', () => {
  it('writes the same gateway logs, bank files and reference data, byte for byte', async () => {
    expect(await bytesDigest(path.join(out, 'raw'))).toBe(EXPECTED.raw);
    expect(await bytesDigest(path.join(out, 'reference'))).toBe(EXPECTED.reference);
    expect(await bytesDigest(path.join(out, 'bank'))).toBe(EXPECTED.bank);
  });

  it('writes the same transactions and fraud labels, row for row', async () => {
    expect(await rowsDigest(path.join(out, 'transactions'))).toBe(EXPECTED.transactions);
    expect(await rowsDigest(path.join(out, 'labels'))).toBe(EXPECTED.labels);
  });
});

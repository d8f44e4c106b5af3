// `paylake schema` and `paylake head` as a user runs them, on public corpus files and a CSV with a bad row.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/bin/paylake.js', import.meta.url));
const corpus = fileURLToPath(new URL('../../../shared/parquet-testing/data/', import.meta.url));

function paylake(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('paylake schema', () => {
  it('summarises a Parquet file from its footer', () => {
    const r = paylake('schema', join(corpus, 'alltypes_plain.parquet'), '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { rows: number; rowGroups: number; codecs: string[]; columns: { name: string; type: string }[] };
    expect(s.rows).toBe(8);
    expect(s.rowGroups).toBe(1);
    expect(s.codecs).toEqual(['UNCOMPRESSED']);
    expect(s.columns.find((c) => c.name === 'bigint_col')?.type).toBe('bigint');
  });

  it('prints a readable table by default', () => {
    const r = paylake('schema', join(corpus, 'alltypes_plain.snappy.parquet'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/parquet, 1 file, 2 rows, 1 row group, .*SNAPPY/);
    expect(r.stdout).toMatch(/│ timestamp_col\s+│ timestamp_ntz\s+│/);
  });

  it('fails with one line and exit code 1 on a missing path or a corrupt file', () => {
    const missing = paylake('schema', '/no/such/dataset');
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('/no/such/dataset');
    const corrupt = paylake('schema', fileURLToPath(new URL('../../../shared/parquet-testing/bad_data/PARQUET-1481.parquet', import.meta.url)));
    expect(corrupt.status).toBe(1);
    expect(corrupt.stderr).toMatch(/^paylake: .*PARQUET-1481\.parquet/);
  });
});

describe('paylake head', () => {
  it('decodes nested columns as JSON', () => {
    const r = paylake('head', join(corpus, 'nested_lists.snappy.parquet'), '-n', '1', '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ a: [[['a', 'b'], ['c']], [null, ['d']]], b: 1 }]);
  });

  it('shows how many rows exist beyond the ones shown', () => {
    const r = paylake('head', join(corpus, 'alltypes_plain.parquet'), '-n', '3');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('showing 3 of 8 rows');
  });

  it('reads CSV with exact int64 and keeps money numeric', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paylake-head-'));
    try {
      const file = join(dir, 'settlement.csv');
      writeFileSync(file, 'psp_reference,gross_amount_minor,note\ntx1,9007199254740993,=SUM(A1)\ntx2,-1250,ok\n');
      const r = paylake('head', file, '--format', 'csv');
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe("psp_reference,gross_amount_minor,note\r\ntx1,9007199254740993,'=SUM(A1)\r\ntx2,-1250,ok\r\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a negative row count as a usage error', () => {
    expect(paylake('head', join(corpus, 'alltypes_plain.parquet'), '-n', '-1').status).toBe(2);
  });
});

// Generator throughput: runs the real CLI (`paylake gen`) several times as a child process (under
// /usr/bin/time -v when present, for the peak RSS and CPU time) and prints the median rows/s.
// Usage: node dist/bench/gen.bench.js [--rows N] [--workers W] [--runs R] [--cli PATH]  (defaults 10,000,000, 2, 3,
// this build's dist/bin/paylake.js; --cli compares another build). CPU seconds (user + system) say more than
// wall time when the machine is shared.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

function textArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function main(): void {
  const rows = arg('rows', 10_000_000);
  const workers = arg('workers', 2);
  const runs = arg('runs', 3);
  const cli = textArg('cli') ?? fileURLToPath(new URL('../bin/paylake.js', import.meta.url));
  const out = mkdtempSync(path.join(tmpdir(), 'paylake-gen-bench-'));
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const seconds: number[] = [];
  const peakMiB: number[] = [];
  const cpuSeconds: number[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const args = [cli, 'gen', '--out', path.join(out, 'd'), '--rows', String(rows), '--workers', String(workers)];
      const t0 = performance.now();
      const res = timeBin ? spawnSync(timeBin, ['-v', process.execPath, ...args], { encoding: 'utf8' }) : spawnSync(process.execPath, args, { encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`paylake gen failed: ${res.stderr}`);
      seconds.push((performance.now() - t0) / 1000);
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr);
      if (m) peakMiB.push(Number(m[1]) / 1024);
      const user = /User time \(seconds\): ([\d.]+)/.exec(res.stderr);
      const sys = /System time \(seconds\): ([\d.]+)/.exec(res.stderr);
      if (user && sys) cpuSeconds.push(Number(user[1]) + Number(sys[1]));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const s = median(seconds);
  process.stdout.write(
    `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n` +
      `rows ${rows.toLocaleString('en-US')}, workers ${workers}, runs ${seconds.map((x) => x.toFixed(1)).join(' / ')} s, ` +
      `median ${s.toFixed(1)} s = ${Math.round(rows / s).toLocaleString('en-US')} rows/s` +
      (cpuSeconds.length > 0 ? `, CPU ${cpuSeconds.map((x) => x.toFixed(1)).join(' / ')} s` : '') +
      (peakMiB.length > 0 ? `, peak RSS ${Math.round(Math.max(...peakMiB))} MiB\n` : '\n'),
  );
}

main();

// `npm run bench`: runs every benchmark script (dist/bench/*.bench.js) one after another in its own
// process, so one benchmark's memory or JIT state never colours the next. Extra arguments are passed on.
// Results are printed; BENCHMARKS.md records them with the machine and data size.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2).find((a) => !a.startsWith('-'));
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.js') && (only === undefined || f.startsWith(only)))
  .sort();
let failed = 0;
for (const script of scripts) {
  process.stdout.write(`\n### ${script}\n`);
  const r = spawnSync(process.execPath, [`${dir}${script}`, ...process.argv.slice(2).filter((a) => a !== only)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;

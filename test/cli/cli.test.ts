// The CLI contract scripts rely on: exit codes 0/1/2, one-line errors, --help on every command.
// Runs the built CLI (npm test builds first) as a user would.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/bin/paylake.js', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function paylake(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('paylake CLI', () => {
  it('prints its version and exits 0', () => {
    const r = paylake('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('exits 2 with a one-line hint when no command is given', () => {
    const r = paylake();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^paylake: .*command/);
  });

  it('exits 2 on an unknown command or option', () => {
    expect(paylake('no-such-command').status).toBe(2);
    expect(paylake('--no-such-option').status).toBe(2);
  });

  it('has --help for every command', () => {
    const top = paylake('--help');
    expect(top.status).toBe(0);
    const names = [...top.stdout.matchAll(/^\s+paylake (\S+)/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const r = paylake(name, '--help');
      expect(r.status, name).toBe(0);
      expect(r.stdout, name).toContain(`paylake ${name}`);
    }
  });
});

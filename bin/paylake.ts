#!/usr/bin/env node
// The `paylake` command. Kept tiny so `paylake --version` starts fast: commands import their engines lazily.
import { runCli } from '../lib/cli/run-cli.js';

process.exitCode = await runCli(process.argv.slice(2));

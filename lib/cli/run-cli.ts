// Builds the yargs parser from the command modules and maps failures to exit codes:
// 0 success, 2 usage error, 130 cancelled by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it), 1 any other
// failure; one line on stderr, the stack only with --verbose.
import yargs from 'yargs';
import { PaylakeError, isPaylakeError, messageOf } from '../errors/paylake-error.js';
import { commands } from './commands.js';
import { packageVersion } from './package-version.js';

/** Runs the CLI on `argv` (without `node` and the script) and returns the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  let usageError: string | undefined;
  const parser = yargs(argv)
    .scriptName('paylake')
    .usage('$0 <command> [options]\n\nSpark-style batch jobs for payment transaction logs.')
    .version(packageVersion())
    .option('verbose', { type: 'boolean', description: 'Print stack traces on errors', global: true })
    .strict()
    .demandCommand(1, 'Give a command; `paylake --help` lists them.')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      usageError = msg;
    })
    .exitProcess(false);
  for (const command of commands) parser.command(command);
  try {
    await parser.parseAsync();
    if (usageError !== undefined) {
      process.stderr.write(`paylake: ${usageError}\nRun \`paylake --help\` for usage.\n`);
      return 2;
    }
    return 0;
  } catch (e) {
    return reportError(e, verbose);
  }
}

/** True when the reader of our output went away (`paylake head ... | head -3`): not a failure. */
function isBrokenPipe(e: unknown): boolean {
  for (let x: unknown = e; x instanceof Error; x = x.cause) {
    if ((x as NodeJS.ErrnoException).code === 'EPIPE') return true;
  }
  return false;
}

function reportError(e: unknown, verbose: boolean): number {
  if (isBrokenPipe(e)) return 0;
  const code = isPaylakeError(e) ? e.code : 'INTERNAL';
  const message = isPaylakeError(e) ? e.message : `internal error: ${messageOf(e)} (please report this with --verbose output)`;
  process.stderr.write(`paylake: ${message}\n`);
  if (verbose && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return code === 'USAGE' ? 2 : code === 'CANCELLED' ? 130 : 1;
}

export { PaylakeError };

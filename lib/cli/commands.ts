// The registry of CLI commands. Each module keeps its option declarations light and imports its
// implementation inside the handler, so that parsing and --help stay fast.
import type { CommandModule } from 'yargs';
import { aggCommand } from './agg.command.js';
import { countByValueCommand } from './count-by-value.command.js';
import { explainCommand } from './explain.command.js';
import { genCommand } from './gen.command.js';
import { headCommand } from './head.command.js';
import { jobsCommand } from './jobs.command.js';
import { quickstartCommand } from './quickstart.command.js';
import { runCommand } from './run.command.js';
import { schemaCommand } from './schema.command.js';
import { sqlCommand } from './sql.command.js';

/** Every `paylake` command, in the order `--help` lists them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [quickstartCommand, genCommand, schemaCommand, headCommand, countByValueCommand, aggCommand, sqlCommand, explainCommand, jobsCommand, runCommand];

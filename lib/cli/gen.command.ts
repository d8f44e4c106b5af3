// `paylake gen`: writes the synthetic payments datasets (see datasets/README.md).
import type { CommandModule } from 'yargs';
import { PaylakeError } from '../errors/paylake-error.js';

interface GenArgs {
  out: string;
}

/** `paylake gen --out DIR ...` */
export const genCommand: CommandModule<object, GenArgs> = {
  command: 'gen',
  describe: 'Generate the synthetic payments datasets',
  builder: (y) => y.option('out', { type: 'string', demandOption: true, description: 'Output directory' }) as never,
  handler: async () => {
    throw new PaylakeError('INTERNAL', 'gen is being written');
  },
};

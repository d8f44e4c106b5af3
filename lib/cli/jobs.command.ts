// `paylake jobs`: the jobs `paylake run` knows, with their descriptions and parameters.
import type { CommandModule } from 'yargs';

/** `paylake jobs` */
export const jobsCommand: CommandModule<object, object> = {
  command: 'jobs',
  describe: 'List the jobs `paylake run` can run',
  builder: (y) => y.example('$0 jobs', 'Names, descriptions and parameters of every job') as never,
  handler: async () => {
    const { JOBS } = await import('../../jobs/registry.js');
    const { writeToSink } = await import('../report/sink-writer.js');
    const width = Math.max(...JOBS.map((j) => j.name.length));
    const lines: string[] = [];
    for (const job of JOBS) {
      lines.push(`${job.name.padEnd(width)}  ${job.description}`);
      for (const [name, spec] of Object.entries(job.params)) {
        lines.push(`${' '.repeat(width)}    --param ${name}=<${spec.type}>  ${spec.description} (default ${JSON.stringify(spec.default)})`);
      }
    }
    lines.push('', 'Run one with: paylake run JOB --date YYYY-MM-DD --input DIR [--output DIR] [--workers N] [--format table|csv|json]');
    await writeToSink(process.stdout, `${lines.join('\n')}\n`);
  },
};

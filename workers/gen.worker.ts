// Piscina worker entry of `paylake gen`: runs one (day, part) generator task per call.
import { runGenTask, type GenTaskInput, type GenTaskResult } from '../datasets/gen/gen-task.js';

/** Runs one generator task in this worker thread (the World is cached per thread). */
export default async function genWorker(input: GenTaskInput): Promise<GenTaskResult> {
  return runGenTask(input);
}

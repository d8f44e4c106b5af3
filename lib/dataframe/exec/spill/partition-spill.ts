// Spilling a reduce task whose input is larger than its memory: every hash-exchanged input of the task is
// split again on disk into K sub-partitions by its exchange keys (with another hash seed), and the stage
// runs K times, once per sub-partition, one after the other (Grace hash partitioning). Every operator of
// such a stage is local to its keys — a final aggregation groups by them, a join matches on them,
// deduplication keeps one row per key — so the K runs together give the same rows as one run would, and
// rows keep their arrival order within a sub-partition (the first row of a key stays the first).
import * as path from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { hashPartitioner, SPILL_SEED } from '../exchange/hash-partitioner.js';
import { splitByPartition } from '../exchange/take-partition-rows.js';
import type { PhysicalPlan } from '../../physical/physical-plan.js';
import type { StageInputExec } from '../../physical/nodes/stage-input-exec.js';
import { physicalInputs } from '../../physical/physical-plan.js';
import { readSpillFile, removeSpillFile, SpillFileWriter } from './spill-file.js';

/** In-memory bytes of hash tables and buffers per byte of exchanged Arrow IPC input (a safety factor). */
export const MEMORY_PER_INPUT_BYTE = 2;

/** Most sub-partitions one task splits into. */
const MAX_SUB_PARTITIONS = 256;

/** A reader of one stage input's rows. */
export type InputRows = (node: StageInputExec) => AsyncIterable<RecordBatch>;

/** One sub-partition's spill file. */
interface SubPartitionFile {
  readonly path: string;
  size: number;
}

/** How a task's inputs were split: K, and per input (by exchange id) one file per sub-partition. */
export interface SplitInputs {
  readonly count: number;
  readonly files: ReadonlyMap<number, readonly SubPartitionFile[]>;
  readonly spilledBytes: number;
}

/** The exchange inputs of a stage (not looking past them). */
export function exchangeInputs(plan: PhysicalPlan): StageInputExec[] {
  if (plan.kind === 'stage-input') return plan.from === 'exchange' ? [plan] : [];
  return physicalInputs(plan).flatMap(exchangeInputs);
}

/**
 * How many sub-partitions a task with `inputBytes` of exchanged input needs under `budgetBytes` (1: no
 * spill). Only stages whose exchange inputs are all hash-partitioned can be split.
 */
export function subPartitionCount(plan: PhysicalPlan, inputBytes: number, budgetBytes: number): number {
  const inputs = exchangeInputs(plan);
  if (inputs.length === 0 || inputs.some((i) => i.hashKeys === null)) return 1;
  const need = inputBytes * MEMORY_PER_INPUT_BYTE;
  return need <= budgetBytes ? 1 : Math.min(MAX_SUB_PARTITIONS, Math.ceil(need / budgetBytes));
}

/** Splits every exchange input of `plan` into `count` sub-partitions, one spill file each, under `dir`. */
export async function splitInputs(plan: PhysicalPlan, count: number, dir: string, rows: InputRows): Promise<SplitInputs> {
  const files = new Map<number, SubPartitionFile[]>();
  let spilledBytes = 0;
  try {
    for (const input of exchangeInputs(plan)) {
      const { keys, schema } = input.hashKeys!;
      const partitionOf = hashPartitioner(keys, schema, count, SPILL_SEED);
      const parts = Array.from({ length: count }, (_, k) => new SpillFileWriter(path.join(dir, `input-${input.id}-part-${k}.arrow`)));
      const written: SubPartitionFile[] = parts.map((w) => ({ path: w.path, size: 0 }));
      files.set(input.id, written);
      try {
        for await (const batch of rows(input)) {
          splitByPartition(batch, partitionOf(batch), count).forEach((part, k) => {
            if (part !== undefined) parts[k]!.write(part);
          });
        }
        parts.forEach((w, k) => {
          written[k]!.size = w.close();
          spilledBytes += written[k]!.size;
        });
      } catch (e) {
        parts.forEach((w) => w.discard());
        throw e;
      }
    }
  } catch (e) {
    removeSplit({ count, files, spilledBytes });
    throw e;
  }
  return { count, files, spilledBytes };
}

/** The rows of sub-partition `k` of an input split by {@link splitInputs}, in arrival order. */
export async function* subPartitionRows(split: SplitInputs, input: StageInputExec, k: number): AsyncGenerator<RecordBatch> {
  const part = split.files.get(input.id)![k]!;
  if (part.size > 0) yield* readSpillFile(part.path);
}

/** Removes the spill files of a split. */
export function removeSplit(split: SplitInputs): void {
  for (const parts of split.files.values()) for (const f of parts) removeSpillFile(f.path);
}

// Writes a DataFrame's result to files with an all-or-nothing commit: everything is written under a
// temporary sibling and renamed into place only when complete, so a failed or killed run leaves the
// previous output untouched. Parquet output is a directory (part files + `_SUCCESS`), as Spark writes it.
import { commitDirectory, commitFile } from '../io/fs/output-commit.js';
import { fileSystemFor } from '../io/fs/resolve-file-system.js';
import { ParquetFileWriter } from '../io/parquet/parquet-writer.js';
import type { ParquetCodec } from '../io/parquet/parquet-writer.js';
import { writeReport } from '../report/report-writer.js';
import type { DataFrame } from './dataframe.js';
import { schemaToArrow } from './types/arrow-type.js';

/** What a write produced. */
export interface WriteResult {
  readonly path: string;
  readonly rows: number;
}

/** Output writers of a DataFrame (`df.write.parquet(...)`). */
export class DataFrameWriter {
  constructor(private readonly df: DataFrame) {}

  /**
   * A Parquet dataset directory: `part-00000.parquet` and `_SUCCESS`. Replaces an existing directory atomically.
   * @example await df.write.parquet('out/by-merchant', { codec: 'ZSTD' })
   */
  async parquet(target: string, options: { codec?: ParquetCodec; rowGroupRows?: number } = {}): Promise<WriteResult> {
    const fs = fileSystemFor(target);
    const rows = await commitDirectory(target, async (tmp) => {
      const writer = await ParquetFileWriter.open(fs.join(tmp, 'part-00000.parquet'), schemaToArrow(this.df.schema), {
        ...(options.codec === undefined ? {} : { codec: options.codec }),
        ...(options.rowGroupRows === undefined ? {} : { maxRowGroupRows: options.rowGroupRows }),
        createdBy: 'paylake',
      });
      // Rows stream from the run into the file; nothing is published unless the whole run succeeds.
      let written = 0;
      try {
        await this.df.forEachBatch(async (b) => {
          await writer.write(b);
          written += b.numRows;
        });
        await writer.close();
      } catch (e) {
        await writer.abort();
        throw e;
      }
      await fs.writeFile(fs.join(tmp, '_SUCCESS'), '');
      return written;
    });
    return { path: target, rows };
  }

  /** One RFC 4180 CSV file with a header, injection-safe (see README). */
  async csv(target: string): Promise<WriteResult> {
    return this.report(target, 'csv');
  }

  /** One JSON object per line, in the JSON output contract. */
  async jsonl(target: string): Promise<WriteResult> {
    return this.report(target, 'jsonl');
  }

  /** One JSON array of objects, in the JSON output contract. */
  async json(target: string): Promise<WriteResult> {
    return this.report(target, 'json');
  }

  private async report(target: string, format: 'csv' | 'json' | 'jsonl'): Promise<WriteResult> {
    const table = await this.df.toArrow();
    const fs = fileSystemFor(target);
    await commitFile(target, async (tmp) => {
      const out = await fs.openWriteStream(tmp);
      await writeReport(table, format, out);
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    });
    return { path: target, rows: table.numRows };
  }
}

// The SQL parser: datafusion-sqlparser-rs (the parser DataFusion uses) compiled to WebAssembly, with its
// Spark dialect. Chosen over node-sql-parser because it follows Spark's grammar (backquoted identifiers,
// `100L`, `<=>`, `INTERVAL 10 MINUTES`, LEFT SEMI/ANTI joins), keeps numbers as exact text, reports
// positions, and is maintained with DataFusion. One parser serves `paylake sql` and every expression
// string of the CLI and API, so there is one grammar.
import { init, parse, ParserError } from '@guanmingchiu/sqlparser-ts';
import { PaylakeError, messageOf } from '../../../errors/paylake-error.js';

await init();

/** A statement as the parser returns it: plain JSON-like objects tagged by variant name. */
export type SqlAst = Record<string, unknown>;

/** Where in the user's text a construct sits, 1-based. */
export interface SqlPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Parses SQL text into statements. `offset` says how many characters of the first line precede the user's
 * text (when it was wrapped, as `SELECT <expr>`), so positions in errors point into what the user wrote.
 * Throws PARSE_ERROR with line, column and a caret under the position.
 */
export function parseSql(sql: string, userText: string = sql, offset = 0): SqlAst[] {
  try {
    return parse(sql, 'spark') as unknown as SqlAst[];
  } catch (e) {
    const raw = e instanceof ParserError ? e.message : messageOf(e);
    const message = raw.replace(/^sql parser error:\s*/, '');
    const m = / at Line: (\d+), Column: (\d+)/.exec(message);
    const what = message.replace(/ at Line: \d+, Column: \d+/, '');
    const pos = m ? { line: Number(m[1]), column: Number(m[2]) - (Number(m[1]) === 1 ? offset : 0) } : endOf(userText);
    throw syntaxError(`syntax error: ${what}`, userText, pos);
  }
}

/** A PARSE_ERROR pointing at `pos` in `text`: the message, then the line and a caret under the column. */
export function syntaxError(message: string, text: string, pos: SqlPosition): PaylakeError {
  const lineText = text.split('\n')[pos.line - 1] ?? '';
  const where = text.includes('\n') ? ` (line ${pos.line}, column ${pos.column})` : ` (column ${pos.column})`;
  const caret = `${' '.repeat(Math.max(0, pos.column - 1))}^`;
  return new PaylakeError('PARSE_ERROR', `${message}${where}\n  ${lineText}\n  ${caret}`);
}

function endOf(text: string): SqlPosition {
  const lines = text.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
}

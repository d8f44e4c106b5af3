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

/**
 * A PARSE_ERROR found while translating a parsed statement, at `position` of the text given to parseSql;
 * `pointAtSource` turns it into a message with the user's line and a caret.
 */
export class LocatedParseError extends PaylakeError {
  constructor(
    message: string,
    readonly position: SqlPosition,
  ) {
    super('PARSE_ERROR', message);
  }
}

/** `e` pointed at `userText` (line, column, caret) when it is a LocatedParseError (`offset` as for parseSql); other errors unchanged. */
export function pointAtSource(e: unknown, userText: string, offset = 0): unknown {
  if (!(e instanceof LocatedParseError)) return e;
  const { line, column } = e.position;
  return syntaxError(e.message, userText, { line, column: line === 1 ? column - offset : column });
}

/** The start of the first source span inside an AST node (depth first), or null when it has none. */
export function firstSpanStart(node: unknown): SqlPosition | null {
  if (node === null || typeof node !== 'object') return null;
  const span = (node as { span?: { start?: SqlPosition } }).span;
  if (span?.start && span.start.line > 0) return { line: span.start.line, column: span.start.column };
  for (const child of Object.values(node as Record<string, unknown>)) {
    const found = firstSpanStart(child);
    if (found !== null) return found;
  }
  return null;
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

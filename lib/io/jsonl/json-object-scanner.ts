// Scans one line of JSON that should hold an object into its top-level members, keeping every number
// as its exact source text (JSON.parse would round integers beyond 2^53 and drop "12.50"'s scale).
//
// Why a scanner and not JSON.parse: Node 20's JSON.parse has no access to a number's source text (the
// reviver `context.source` of TC39 "JSON.parse source text access" ships only from V8 11.4 / Node 21),
// and a JavaScript number cannot hold 9007199254740993 or tell 12.50 from 12.5. So this small
// recursive-descent scanner (RFC 8259 grammar, strict) walks the text once: top-level strings are
// decoded (through JSON.parse only when they hold escapes), numbers stay source text, and nested
// objects and arrays are re-emitted as compact JSON (see `compactValue`) with their numbers verbatim.

/** One top-level member value. Numbers keep their source text; objects and arrays are compact JSON. */
export type JsonMember =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'object' | 'array'; readonly json: string };

/** The members of an object line, or why the line is not one. */
export type JsonObjectScan =
  | { readonly ok: true; readonly members: ReadonlyMap<string, JsonMember> }
  | { readonly ok: false; readonly reason: 'INVALID_JSON' | 'NOT_AN_OBJECT'; readonly message: string };

/** Deepest nesting read, as Jackson's default StreamReadConstraints (so Spark reads no deeper either). */
export const MAX_JSON_DEPTH = 1000;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PLAIN_STRING_CHARS = /[^"\\\u0000-\u001f]*/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
const QUOTE = 34;
const BACKSLASH = 92;

/** A syntax error at a character position; caught at the top and turned into a JsonObjectScan. */
class JsonSyntaxError {
  constructor(
    readonly position: number,
    readonly what: string,
  ) {}
}

/** One pass over one JSON text. */
class Scanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** The top level: an object, then nothing but whitespace. */
  scanObject(): JsonObjectScan {
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== 0x7b) return this.notAnObject();
    this.pos++;
    const members = new Map<string, JsonMember>();
    let duplicate: string | undefined; // reported only once the whole line is known to be valid JSON
    this.skipWhitespace();
    if (this.peek() === '}') this.pos++;
    else {
      for (;;) {
        this.skipWhitespace();
        const keyAt = this.pos;
        const key = this.readKey();
        this.expectColon();
        const value = this.readMember();
        if (members.has(key)) duplicate ??= `key ${JSON.stringify(key)} appears twice (again at character ${keyAt + 1}); paylake does not guess which value is meant`;
        members.set(key, value);
        if (this.endOfContainer('}')) break;
      }
    }
    this.skipWhitespace();
    if (this.pos < this.text.length) throw new JsonSyntaxError(this.pos, 'text after the end of the object');
    if (duplicate !== undefined) return { ok: false, reason: 'INVALID_JSON', message: duplicate };
    return { ok: true, members };
  }

  private notAnObject(): JsonObjectScan {
    const kind = describeTopLevel(this.text);
    if (kind === undefined) {
      // Not valid JSON either: let the grammar say where.
      this.compactValue(0);
      this.skipWhitespace();
      throw new JsonSyntaxError(this.pos, this.pos < this.text.length ? 'text after the end of the value' : 'not a JSON value');
    }
    return { ok: false, reason: 'NOT_AN_OBJECT', message: `the line is a JSON ${kind}, not an object; each line must hold one JSON object` };
  }

  private readMember(): JsonMember {
    this.skipWhitespace();
    const c = this.text.charCodeAt(this.pos);
    if (c === QUOTE) return { kind: 'string', value: this.readString() };
    if (c === 0x7b) return { kind: 'object', json: this.compactValue(0) };
    if (c === 0x5b) return { kind: 'array', json: this.compactValue(0) };
    if (c === 0x74 || c === 0x66) return { kind: 'boolean', value: this.readLiteral() === 'true' };
    if (c === 0x6e) {
      this.readLiteral();
      return { kind: 'null' };
    }
    return { kind: 'number', text: this.readNumber() };
  }

  /** Any value, re-emitted compactly: no whitespace, strings as JSON.stringify writes them, numbers verbatim. */
  private compactValue(depth: number): string {
    if (depth >= MAX_JSON_DEPTH) throw new JsonSyntaxError(this.pos, `nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.skipWhitespace();
    const c = this.text.charCodeAt(this.pos);
    if (c === QUOTE) return this.readStringJson();
    if (c === 0x7b || c === 0x5b) {
      const close = c === 0x7b ? '}' : ']';
      this.pos++;
      this.skipWhitespace();
      if (this.peek() === close) {
        this.pos++;
        return c === 0x7b ? '{}' : '[]';
      }
      const parts: string[] = [];
      for (;;) {
        if (c === 0x7b) {
          this.skipWhitespace();
          if (this.text.charCodeAt(this.pos) !== QUOTE) throw new JsonSyntaxError(this.pos, 'expected a key in double quotes');
          const key = this.readStringJson();
          this.expectColon();
          parts.push(`${key}:${this.compactValue(depth + 1)}`);
        } else parts.push(this.compactValue(depth + 1));
        if (this.endOfContainer(close)) break;
      }
      return c === 0x7b ? `{${parts.join(',')}}` : `[${parts.join(',')}]`;
    }
    if (c === 0x74 || c === 0x66 || c === 0x6e) return this.readLiteral();
    return this.readNumber();
  }

  private readKey(): string {
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== QUOTE) throw new JsonSyntaxError(this.pos, 'expected a key in double quotes');
    return this.readString();
  }

  private expectColon(): void {
    this.skipWhitespace();
    if (this.peek() !== ':') throw new JsonSyntaxError(this.pos, "expected ':' after the key");
    this.pos++;
  }

  /** After a member or element: true at the closing bracket, false after a comma. */
  private endOfContainer(close: '}' | ']'): boolean {
    this.skipWhitespace();
    const c = this.peek();
    this.pos++;
    if (c === close) return true;
    if (c === ',') return false;
    this.pos--;
    throw new JsonSyntaxError(this.pos, `expected ',' or '${close}'`);
  }

  /** The source slice of a string token, quotes included, validated; `escaped` when it holds a backslash. */
  private stringToken(): { slice: string; escaped: boolean } {
    const start = this.pos;
    let escaped = false;
    this.pos++;
    for (;;) {
      PLAIN_STRING_CHARS.lastIndex = this.pos;
      PLAIN_STRING_CHARS.test(this.text);
      this.pos = PLAIN_STRING_CHARS.lastIndex;
      const c = this.text.charCodeAt(this.pos);
      if (c === QUOTE) {
        this.pos++;
        return { slice: this.text.slice(start, this.pos), escaped };
      }
      if (c === BACKSLASH) {
        ESCAPE.lastIndex = this.pos;
        if (!ESCAPE.test(this.text)) throw new JsonSyntaxError(this.pos, 'invalid escape in a string');
        this.pos = ESCAPE.lastIndex;
        escaped = true;
      } else if (Number.isNaN(c)) throw new JsonSyntaxError(start, 'a string is never closed');
      else throw new JsonSyntaxError(this.pos, 'a control character inside a string must be escaped');
    }
  }

  private readString(): string {
    const { slice, escaped } = this.stringToken();
    return escaped ? (JSON.parse(slice) as string) : slice.slice(1, -1);
  }

  /** A string token as JSON.stringify would write it, so equal strings compact to equal text. */
  private readStringJson(): string {
    const { slice, escaped } = this.stringToken();
    return escaped ? JSON.stringify(JSON.parse(slice)) : slice;
  }

  private readNumber(): string {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) throw new JsonSyntaxError(this.pos, this.pos >= this.text.length ? 'the line ends where a value should be' : 'expected a value');
    this.pos = NUMBER.lastIndex;
    return m[0];
  }

  private readLiteral(): 'true' | 'false' | 'null' {
    for (const literal of ['true', 'false', 'null'] as const) {
      if (this.text.startsWith(literal, this.pos)) {
        this.pos += literal.length;
        return literal;
      }
    }
    throw new JsonSyntaxError(this.pos, 'expected a value');
  }

  private peek(): string {
    return this.text.charAt(this.pos);
  }

  private skipWhitespace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }
}

/** The JSON kind of a whole text that is valid JSON, or undefined when it is not valid JSON. */
function describeTopLevel(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value; // number, string or boolean; objects do not get here
}

/**
 * Scans `text` (one line, without its newline) as a JSON object. Duplicate keys are refused (JSON
 * allows them, but which one counts differs between readers, so paylake does not guess).
 * @example scanJsonObject('{"amount_minor": 9007199254740993, "fx": 12.50}')
 * // { ok: true, members: Map { 'amount_minor' => { kind: 'number', text: '9007199254740993' }, 'fx' => { kind: 'number', text: '12.50' } } }
 */
export function scanJsonObject(text: string): JsonObjectScan {
  try {
    return new Scanner(text).scanObject();
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return { ok: false, reason: 'INVALID_JSON', message: `not valid JSON at character ${e.position + 1}: ${e.what}` };
  }
}

/** The JSON text of a member as it would be written back (strings quoted), for messages and string columns. */
export function jsonTextOf(member: JsonMember): string {
  switch (member.kind) {
    case 'string':
      return JSON.stringify(member.value);
    case 'number':
      return member.text;
    case 'boolean':
      return String(member.value);
    case 'null':
      return 'null';
    case 'object':
    case 'array':
      return member.json;
    default: {
      const never: never = member;
      throw new Error(`unhandled JSON member ${JSON.stringify(never)}`);
    }
  }
}

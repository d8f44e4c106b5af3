// Finds the names a JavaScript function's source uses but does not declare (its free identifiers), so a
// lambda that captures an outer variable is refused before it is shipped to a worker.
//
// Why a small tokenizer and not a parser (acorn): the question is narrow and the answer may err in one
// direction only. Declared names are over-collected (scope-insensitively: a name bound anywhere in the
// function counts as bound everywhere), so a correct lambda is never refused for a name it declares; a
// capture this misses still cannot run wrong, because the worker compiles the lambda in a sandbox realm
// whose only globals are the allow-listed ones (lambda-sandbox.ts), where it fails with a ReferenceError.
// Strings, template literals (with nested `${}`), regular expressions and comments are skipped properly.

/** One token of JavaScript source, as far as free-name analysis needs. */
interface Token {
  readonly kind: 'name' | 'punct' | 'literal';
  readonly text: string;
}

/** Reserved and contextual keywords: never a reference to an outer variable. */
const KEYWORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else export extends finally for function if import in ' +
    'instanceof new return super switch this throw try typeof var void while with yield let static enum await implements ' +
    'package protected interface private public null true false async of get set'
  ).split(' '),
);

/** Keywords after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_KEYWORD = new Set('return typeof instanceof in of new delete void throw case do else yield await'.split(' '));

const PUNCTUATORS = ['...', '?.', '=>', '**=', '===', '!==', '>>>=', '<<=', '>>=', '>>>', '&&=', '||=', '??=', '==', '!=', '<=', '>=', '&&', '||', '??', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '**', '<<', '>>'];

const ID_START = /[A-Za-z_$\u0080-\uffff]/;
const ID_PART = /[\w$\u0080-\uffff]/;

/** Splits `source` into tokens. Throws a plain Error on an unterminated string, comment or template. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  // Brace depth at which each open template literal's `${` was entered; a `}` at that depth resumes the template.
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  const n = source.length;

  const prevAllowsRegex = (): boolean => {
    const prev = tokens[tokens.length - 1];
    if (prev === undefined) return true;
    if (prev.kind === 'literal') return false;
    if (prev.kind === 'name') return KEYWORDS.has(prev.text) && REGEX_AFTER_KEYWORD.has(prev.text);
    return prev.text !== ')' && prev.text !== ']' && prev.text !== '}';
  };

  const scanTemplateChunk = (): void => {
    // i is just after a backtick or after the `}` closing a `${`.
    while (i < n) {
      const c = source[i]!;
      if (c === '\\') i += 2;
      else if (c === '`') {
        i++;
        tokens.push({ kind: 'literal', text: '`' });
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        i += 2;
        tokens.push({ kind: 'punct', text: '(' }); // a `${` behaves like an opening bracket for the analysis
        templates.push(depth);
        depth++;
        return;
      } else i++;
    }
    throw new Error('unterminated template literal');
  };

  while (i < n) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029' || c === '\ufeff' || c === '\v' || c === '\f') {
      i++;
    } else if (c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      if (j >= n) throw new Error('unterminated string');
      tokens.push({ kind: 'literal', text: source.slice(i, j + 1) });
      i = j + 1;
    } else if (c === '`') {
      i++;
      scanTemplateChunk();
    } else if (c === '}' && templates.length > 0 && templates[templates.length - 1] === depth - 1) {
      templates.pop();
      depth--;
      tokens.push({ kind: 'punct', text: ')' });
      i++;
      scanTemplateChunk();
    } else if (c === '/' && prevAllowsRegex()) {
      let j = i + 1;
      let inClass = false;
      while (j < n && (inClass || source[j] !== '/')) {
        if (source[j] === '\\') j++;
        else if (source[j] === '[') inClass = true;
        else if (source[j] === ']') inClass = false;
        else if (source[j] === '\n') throw new Error('unterminated regular expression');
        j++;
      }
      j++;
      while (j < n && ID_PART.test(source[j]!)) j++;
      tokens.push({ kind: 'literal', text: source.slice(i, j) });
      i = j;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < n && (/[\w.]/.test(source[j]!) || ((source[j] === '+' || source[j] === '-') && /[eE]/.test(source[j - 1]!) && !/^0[xX]/.test(source.slice(i, j))))) j++;
      tokens.push({ kind: 'literal', text: source.slice(i, j) });
      i = j;
    } else if (ID_START.test(c) || c === '\\' || c === '#') {
      let j = i + 1;
      while (j < n && (ID_PART.test(source[j]!) || source[j] === '\\')) j++;
      tokens.push({ kind: c === '#' ? 'literal' : 'name', text: source.slice(i, j) });
      i = j;
    } else {
      const p = PUNCTUATORS.find((q) => source.startsWith(q, i) && !(q === '?.' && /[0-9]/.test(source[i + 2] ?? ''))) ?? c;
      if (p === '{' || p === '(' || p === '[') depth++;
      else if (p === '}' || p === ')' || p === ']') depth--;
      tokens.push({ kind: 'punct', text: p });
      i += p.length;
    }
  }
  if (templates.length > 0) throw new Error('unterminated template literal');
  return tokens;
}

/** Index of the bracket closing the one at `open` (or the end). */
function matching(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'punct') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return tokens.length - 1;
}

/** Index of the bracket opening the one closing at `close`. */
function matchingBackwards(tokens: readonly Token[], close: number): number {
  let depth = 0;
  for (let k = close; k >= 0; k--) {
    const t = tokens[k]!;
    if (t.kind !== 'punct') continue;
    if (t.text === ')' || t.text === ']' || t.text === '}') depth++;
    else if (t.text === '(' || t.text === '[' || t.text === '{') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return 0;
}

function isName(t: Token | undefined): t is Token {
  return t !== undefined && t.kind === 'name' && !KEYWORDS.has(t.text);
}

function isPunct(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'punct' && t.text === text;
}

/** Adds the names bound by the pattern (or parameter list) spanning tokens [from, to]: every name not used as a key. */
function bindPattern(tokens: readonly Token[], from: number, to: number, declared: Set<string>): void {
  for (let k = from; k <= to; k++) {
    const t = tokens[k];
    if (isName(t) && !isPunct(tokens[k + 1], ':') && !isPunct(tokens[k - 1], '.') && !isPunct(tokens[k - 1], '?.')) declared.add(t.text);
  }
}

/** The names the function source declares anywhere (parameters, var/let/const, functions, classes, catch). */
function declaredNames(tokens: readonly Token[]): Set<string> {
  const declared = new Set<string>();
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'name' && (t.text === 'var' || t.text === 'let' || t.text === 'const')) {
      // Each declarator: a pattern, then maybe `= initializer` up to a `,` at the same depth.
      let j = k + 1;
      for (;;) {
        const head = tokens[j];
        if (isName(head)) {
          declared.add(head.text);
          j++;
        } else if (isPunct(head, '{') || isPunct(head, '[')) {
          const end = matching(tokens, j);
          bindPattern(tokens, j, end, declared);
          j = end + 1;
        } else break;
        if (!isPunct(tokens[j], '=')) {
          if (isPunct(tokens[j], ',')) {
            j++;
            continue;
          }
          break;
        }
        let depth = 0;
        for (j++; j < tokens.length; j++) {
          const u = tokens[j]!;
          if (u.kind !== 'punct') continue;
          if (u.text === '(' || u.text === '[' || u.text === '{') depth++;
          else if (u.text === ')' || u.text === ']' || u.text === '}') {
            if (depth === 0) break;
            depth--;
          } else if (depth === 0 && (u.text === ',' || u.text === ';')) break;
        }
        if (!isPunct(tokens[j], ',')) break;
        j++;
      }
    } else if (t.kind === 'name' && (t.text === 'function' || t.text === 'class')) {
      let j = k + 1;
      if (isPunct(tokens[j], '*')) j++;
      if (isName(tokens[j])) declared.add(tokens[j]!.text);
      if (t.text === 'function') {
        while (j < tokens.length && !isPunct(tokens[j], '(')) j++;
        if (j < tokens.length) bindPattern(tokens, j, matching(tokens, j), declared);
      }
    } else if (t.kind === 'name' && t.text === 'catch' && isPunct(tokens[k + 1], '(')) {
      bindPattern(tokens, k + 1, matching(tokens, k + 1), declared);
    } else if (isPunct(t, '=>')) {
      const prev = tokens[k - 1];
      if (isName(prev)) declared.add(prev.text);
      else if (isPunct(prev, ')')) bindPattern(tokens, matchingBackwards(tokens, k - 1), k - 1, declared);
    }
  }
  return declared;
}

/** What {@link freeIdentifiers} found. */
export interface FreeNames {
  /** Names used but declared nowhere in the source, in order of first use. */
  readonly names: readonly string[];
  /** Which of `this`, `super`, `arguments` and `import` the source uses: in an arrow function they refer to the enclosing code. */
  readonly enclosing: readonly string[];
}

/**
 * The free identifiers of a function's source text, minus `allowed` globals.
 * Throws a plain Error when the source cannot be tokenized (unterminated string, comment or template).
 * @example freeIdentifiers('(l) => l.includes(word)', new Set(['Math'])).names // ['word']
 */
export function freeIdentifiers(source: string, allowed: ReadonlySet<string>): FreeNames {
  const tokens = tokenize(source);
  const declared = declaredNames(tokens);
  const names: string[] = [];
  const enclosing: string[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'name') continue;
    const prev = tokens[k - 1];
    if (isPunct(prev, '.') || isPunct(prev, '?.')) continue; // a property
    if (t.text === 'this' || t.text === 'super' || t.text === 'import') {
      if (!enclosing.includes(t.text)) enclosing.push(t.text);
      continue;
    }
    if (KEYWORDS.has(t.text)) continue;
    // An object-literal (or destructuring) key: `{ key: ...` or `, key: ...`.
    if (isPunct(tokens[k + 1], ':') && (isPunct(prev, '{') || isPunct(prev, ','))) continue;
    if (t.text === 'arguments') {
      if (!enclosing.includes(t.text)) enclosing.push(t.text);
      continue;
    }
    if (declared.has(t.text) || allowed.has(t.text) || names.includes(t.text)) continue;
    names.push(t.text);
  }
  return { names, enclosing };
}

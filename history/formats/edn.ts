// A small, fast EDN reader (https://github.com/edn-format/edn), enough for
// Jepsen, Knossos, Elle and Porcupine histories. It maps EDN onto plain,
// JSON-serialisable JavaScript values:
//
//   EDN                       JavaScript
//   nil                       null
//   true / false              true / false
//   "text", \c, \newline      string
//   :keyword, :ns/keyword     string without the colon ('ok', 'ns/keyword')
//   symbol                    string (the symbol's name)
//   42, -7, 42N               number (bigint when beyond Number.MAX_SAFE_INTEGER)
//   1.5, 1e3, 1.5M            number
//   [a b], (a b)              array
//   #{a b}                    array by default; a Set with { sets: 'set' }
//   {:k v}                    plain object; keys become strings: keywords lose
//                             their colon, numbers print as digits, any other
//                             key is written as JSON (e.g. '[1,2]')
//   #tag value                EdnTagged { tag, value } (e.g. #inst, #object)
//   #_ form                   discarded
//   ; comment, commas         whitespace
//
// Keywords and strings both become strings: Jepsen data never relies on the
// difference, and plain strings keep histories JSON-shaped.
//
// Errors are EdnError, naming the line and column (1-based) and what was
// expected there.

export interface EdnOptions {
  /** How to represent `#{...}`: 'array' (default, JSON-friendly) or 'set'. */
  sets?: 'array' | 'set';
}

export type EdnValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | EdnValue[]
  | Set<EdnValue>
  | EdnTagged
  | { [key: string]: EdnValue };

/** A tagged literal kept as data: `#inst "2020-01-01"` -> { tag: 'inst', value: '2020-01-01' }. */
export class EdnTagged {
  constructor(
    readonly tag: string,
    readonly value: EdnValue,
  ) {}
}

export class EdnError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'EdnError';
  }
}

/** Parse exactly one EDN value (surrounding whitespace and comments allowed). */
export function parseEdn(text: string, options: EdnOptions = {}): EdnValue {
  const r = new EdnReader(text, options);
  r.skipSpace();
  if (r.atEnd()) r.fail('expected an EDN value, found end of input');
  const v = r.readValue();
  r.skipSpace();
  if (!r.atEnd()) r.fail(`expected end of input after the first value, found ${r.describeHere()}`);
  return v;
}

/** Parse the first EDN value of the text; also returns the text after it (e.g. a log line's free-text tail). */
export function parseEdnPrefix(text: string, options: EdnOptions = {}): { value: EdnValue; rest: string } {
  const r = new EdnReader(text, options);
  r.skipSpace();
  if (r.atEnd()) r.fail('expected an EDN value, found end of input');
  const value = r.readValue();
  return { value, rest: text.slice(r.offset) };
}

/** Parse every top-level EDN value in the text, in order (e.g. one op map per line). */
export function parseEdnAll(text: string, options: EdnOptions = {}): EdnValue[] {
  const r = new EdnReader(text, options);
  const out: EdnValue[] = [];
  for (;;) {
    r.skipSpace();
    if (r.atEnd()) return out;
    out.push(r.readValue());
  }
}

/** Yield top-level values one at a time, with the line each starts on. */
export function* iterateEdn(text: string, options: EdnOptions = {}): Generator<{ value: EdnValue; line: number }> {
  const r = new EdnReader(text, options);
  for (;;) {
    r.skipSpace();
    if (r.atEnd()) return;
    const line = r.line;
    yield { value: r.readValue(), line };
  }
}

/**
 * The ops of a history file, each with the line it starts on: the elements
 * of its one top-level vector or list (Jepsen, Knossos, Elle), or else its
 * top-level values (one op map per line, Porcupine's kv files). Errors name
 * the line of the element, not of the vector.
 */
export function* iterateEdnItems(text: string, options: EdnOptions = {}): Generator<{ value: EdnValue; line: number }> {
  const r = new EdnReader(text, options);
  r.skipSpace();
  if (r.atEnd()) return;
  const first = text.charCodeAt(r.offset);
  if (first !== LBRACKET && first !== LPAREN) {
    yield* iterateEdn(text, options);
    return;
  }
  yield* r.readSeqItems();
  r.skipSpace();
  if (!r.atEnd()) r.fail(`expected one vector of ops, or one op map per line; found more after the vector: ${r.describeHere()}`);
}

// Character codes used by the scanner.
const NL = 10, CR = 13, SPACE = 32, TAB = 9, COMMA = 44, SEMI = 59;
const QUOTE = 34, HASH = 35, COLON = 58, BACKSLASH = 92, UNDERSCORE = 95;
const LPAREN = 40, RPAREN = 41, LBRACKET = 91, RBRACKET = 93, LBRACE = 123, RBRACE = 125;
const MINUS = 45, PLUS = 43, DOT = 46, ZERO = 48, NINE = 57;

function isDelimiter(c: number): boolean {
  return (
    c === SPACE || c === NL || c === CR || c === TAB || c === COMMA || c === SEMI || c === QUOTE ||
    c === LPAREN || c === RPAREN || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE ||
    c === 12 /* form feed */
  );
}

const CLOSERS: Record<number, string> = { [RPAREN]: 'list', [RBRACKET]: 'vector', [RBRACE]: 'map or set' };

class EdnReader {
  private pos = 0;
  line = 1;
  private lineStart = 0;
  private readonly setsAsSet: boolean;

  constructor(
    private readonly text: string,
    options: EdnOptions,
  ) {
    this.setsAsSet = options.sets === 'set';
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** Characters read so far. */
  get offset(): number {
    return this.pos;
  }

  fail(reason: string, at = this.pos): never {
    // Recompute line/column for `at` when it is before the current line start.
    let line = this.line;
    let lineStart = this.lineStart;
    if (at < lineStart) {
      line = 1;
      lineStart = 0;
      for (let i = 0; i < at; i++) if (this.text.charCodeAt(i) === NL) { line++; lineStart = i + 1; }
    }
    throw new EdnError(reason, line, at - lineStart + 1);
  }

  describeHere(): string {
    if (this.atEnd()) return 'end of input';
    const s = this.text.slice(this.pos, this.pos + 12).split('\n')[0];
    return JSON.stringify(s.length ? s : '\n');
  }

  skipSpace(): void {
    const t = this.text;
    const n = t.length;
    let p = this.pos;
    while (p < n) {
      const c = t.charCodeAt(p);
      if (c === NL) { p++; this.line++; this.lineStart = p; }
      else if (c === SPACE || c === COMMA || c === TAB || c === CR || c === 12) p++;
      else if (c === SEMI) { while (p < n && t.charCodeAt(p) !== NL) p++; }
      else if (c === HASH && t.charCodeAt(p + 1) === UNDERSCORE) {
        // #_ discards the next form: treat it like a comment.
        this.pos = p + 2;
        this.skipSpace();
        if (this.atEnd()) this.fail('expected a form to discard after #_, found end of input');
        this.readValue();
        p = this.pos;
      } else break;
    }
    this.pos = p;
  }

  readValue(): EdnValue {
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    switch (c) {
      case LBRACKET: return this.readSeq(RBRACKET, 'vector');
      case LPAREN: return this.readSeq(RPAREN, 'list');
      case LBRACE: return this.readMap();
      case QUOTE: return this.readString();
      case COLON: return this.readKeyword();
      case BACKSLASH: return this.readChar();
      case HASH: return this.readDispatch();
      case RPAREN: case RBRACKET: case RBRACE:
        this.fail(`unexpected '${String.fromCharCode(c)}': no ${CLOSERS[c]} is open here`);
    }
    if ((c >= ZERO && c <= NINE) || ((c === MINUS || c === PLUS) && this.isDigit(this.pos + 1))) return this.readNumber();
    return this.readSymbol();
  }

  private isDigit(p: number): boolean {
    const c = this.text.charCodeAt(p);
    return c >= ZERO && c <= NINE;
  }

  /** Read forms until `close`; the opening character is at this.pos. */
  private readForms(close: number, what: string, openLine: number, openCol: number): EdnValue[] {
    const out: EdnValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.atEnd()) {
        this.fail(`expected '${String.fromCharCode(close)}' to close the ${what} opened at line ${openLine}, column ${openCol}, found end of input`);
      }
      const c = this.text.charCodeAt(this.pos);
      if (c === close) { this.pos++; return out; }
      if (c === RPAREN || c === RBRACKET || c === RBRACE) {
        this.fail(`expected '${String.fromCharCode(close)}' to close the ${what} opened at line ${openLine}, column ${openCol}, found '${String.fromCharCode(c)}'`);
      }
      out.push(this.readValue());
    }
  }

  /** The elements of the vector or list at this.pos, one at a time, with the line each starts on. */
  *readSeqItems(): Generator<{ value: EdnValue; line: number }> {
    const close = this.text.charCodeAt(this.pos) === LBRACKET ? RBRACKET : RPAREN;
    const what = close === RBRACKET ? 'vector' : 'list';
    const openLine = this.line, openCol = this.pos - this.lineStart + 1;
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.atEnd()) this.fail(`expected '${String.fromCharCode(close)}' to close the ${what} opened at line ${openLine}, column ${openCol}, found end of input`);
      const c = this.text.charCodeAt(this.pos);
      if (c === close) { this.pos++; return; }
      if (c === RPAREN || c === RBRACKET || c === RBRACE) {
        this.fail(`expected '${String.fromCharCode(close)}' to close the ${what} opened at line ${openLine}, column ${openCol}, found '${String.fromCharCode(c)}'`);
      }
      const line = this.line;
      yield { value: this.readValue(), line };
    }
  }

  private readSeq(close: number, what: string): EdnValue[] {
    const line = this.line, col = this.pos - this.lineStart + 1;
    this.pos++;
    return this.readForms(close, what, line, col);
  }

  private readMap(): { [key: string]: EdnValue } {
    const line = this.line, col = this.pos - this.lineStart + 1;
    this.pos++;
    const forms = this.readForms(RBRACE, 'map', line, col);
    if (forms.length % 2 !== 0) {
      this.fail(`expected a value for every key in the map opened at line ${line}, column ${col} (found ${forms.length} forms, an odd number)`, this.pos - 1);
    }
    const obj: { [key: string]: EdnValue } = {};
    for (let i = 0; i < forms.length; i += 2) {
      const key = mapKey(forms[i]);
      if (key === '__proto__') Object.defineProperty(obj, key, { value: forms[i + 1], enumerable: true, writable: true, configurable: true });
      else obj[key] = forms[i + 1];
    }
    return obj;
  }

  private readString(): string {
    const t = this.text;
    const startLine = this.line, startCol = this.pos - this.lineStart + 1;
    let p = this.pos + 1;
    let out = '';
    let chunk = p;
    for (;;) {
      if (p >= t.length) {
        this.pos = p;
        this.fail(`expected '"' to close the string opened at line ${startLine}, column ${startCol}, found end of input`);
      }
      const c = t.charCodeAt(p);
      if (c === QUOTE) break;
      if (c === NL) { this.line++; this.lineStart = p + 1; }
      if (c === BACKSLASH) {
        out += t.slice(chunk, p);
        const e = t[p + 1];
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case 'u': {
            const hex = t.slice(p + 2, p + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('expected four hex digits after \\u in a string', p);
            out += String.fromCharCode(parseInt(hex, 16));
            p += 4;
            break;
          }
          default:
            this.fail(`expected an escape (\\n \\t \\r \\" \\\\ \\uXXXX) in a string, found \\${e ?? 'end of input'}`, p);
        }
        p += 2;
        chunk = p;
        continue;
      }
      p++;
    }
    out += t.slice(chunk, p);
    this.pos = p + 1;
    return out;
  }

  private token(): string {
    const t = this.text;
    let p = this.pos;
    while (p < t.length && !isDelimiter(t.charCodeAt(p))) p++;
    const tok = t.slice(this.pos, p);
    this.pos = p;
    return tok;
  }

  private readKeyword(): string {
    const at = this.pos;
    this.pos++;
    const name = this.token();
    if (name.length === 0) this.fail("expected a keyword name after ':'", at);
    return name;
  }

  private readChar(): string {
    const at = this.pos;
    this.pos++;
    // A character is at least one char, even a delimiter (e.g. \( or \space).
    const first = this.text[this.pos];
    if (first === undefined) this.fail("expected a character after '\\', found end of input", at);
    this.pos++;
    const rest = this.token();
    const name = first + rest;
    if (name.length === 1) return name;
    switch (name) {
      case 'newline': return '\n';
      case 'space': return ' ';
      case 'tab': return '\t';
      case 'return': return '\r';
      case 'formfeed': return '\f';
      case 'backspace': return '\b';
    }
    if (/^u[0-9a-fA-F]{4}$/.test(name)) return String.fromCharCode(parseInt(name.slice(1), 16));
    this.fail(`expected a character (\\c, \\newline, \\space, \\tab, \\uXXXX), found \\${name}`, at);
  }

  private readNumber(): number | bigint {
    const at = this.pos;
    const tok = this.token();
    // Integers: optional sign, digits, optional N suffix (arbitrary precision).
    const int = /^([-+]?)(\d+)(N?)$/.exec(tok);
    if (int) {
      const n = Number(tok.endsWith('N') ? tok.slice(0, -1) : tok);
      if (Number.isSafeInteger(n)) return n;
      return BigInt(int[1] + int[2]);
    }
    if (/^[-+]?\d+(\.\d*)?([eE][-+]?\d+)?M?$/.test(tok)) return Number(tok.endsWith('M') ? tok.slice(0, -1) : tok);
    const ratio = /^([-+]?\d+)\/(\d+)$/.exec(tok);
    if (ratio) return Number(ratio[1]) / Number(ratio[2]);
    this.fail(`expected a number, found ${JSON.stringify(tok)}`, at);
  }

  private readSymbol(): EdnValue {
    const at = this.pos;
    const tok = this.token();
    if (tok.length === 0) this.fail(`expected an EDN value, found ${this.describeHere()}`, at);
    switch (tok) {
      case 'nil': return null;
      case 'true': return true;
      case 'false': return false;
    }
    return tok;
  }

  private readDispatch(): EdnValue {
    const at = this.pos;
    const next = this.text.charCodeAt(this.pos + 1);
    if (next === LBRACE) {
      const line = this.line, col = at - this.lineStart + 1;
      this.pos += 2;
      const items = this.readForms(RBRACE, 'set', line, col);
      return this.setsAsSet ? new Set(items) : items;
    }
    if (next === HASH) {
      // ##Inf, ##-Inf, ##NaN
      this.pos += 2;
      const tok = this.token();
      if (tok === 'Inf') return Infinity;
      if (tok === '-Inf') return -Infinity;
      if (tok === 'NaN') return NaN;
      this.fail(`expected ##Inf, ##-Inf or ##NaN, found ##${tok}`, at);
    }
    this.pos++;
    const tag = this.token();
    if (tag.length === 0) this.fail(`expected a tag, '{' or '_' after '#', found ${this.describeHere()}`, at);
    this.skipSpace();
    if (this.atEnd()) this.fail(`expected a value after the tag #${tag}, found end of input`);
    return new EdnTagged(tag, this.readValue());
  }
}

function mapKey(k: EdnValue): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean') return String(k);
  if (k === null) return 'nil';
  return JSON.stringify(k, (_key, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Set ? [...(v as Set<unknown>)] : v,
  );
}

// zod's issues with a system definition, as lines a person can act on: the
// field path, what was expected (the schema's own description of the field,
// the allowed values), what was found, and a close name for a misspelt
// field. Pure.
import type { z } from 'zod';

/** A zod issue as zod 4 reports it (the fields this file reads). */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  keys?: string[];
  values?: unknown[];
  options?: unknown[];
  discriminator?: string;
  note?: string;
  errors?: Issue[][];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
}

// zod's internals: enough of them to walk a schema along an issue's path.
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  innerType?: Schema;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  discriminator?: string;
  in?: Schema;
  values?: unknown[];
}
interface Schema {
  _zod: { def: Def };
  description?: string;
}

/** "node.command", "image.files[0]"; "(top level)" for the root. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

/** The schema's description of the field at `path` (first sentence), walking unions by the input's own shape. */
function fieldSchema(root: z.ZodType, path: readonly PropertyKey[], input: unknown): { schema?: Schema; description?: string } {
  let s: Schema | undefined = root as unknown as Schema;
  let value = input;
  let description: string | undefined;
  const unwrap = (): void => {
    for (;;) {
      if (!s) return;
      description = s.description ?? description;
      const d: Def = s._zod.def;
      if ((d.type === 'optional' || d.type === 'default' || d.type === 'prefault' || d.type === 'nullable') && d.innerType) s = d.innerType;
      else if (d.type === 'pipe' && d.in) s = d.in;
      else if (d.type === 'union' && d.options) s = pickOption(d, value);
      else return;
    }
  };
  unwrap();
  for (const key of path) {
    description = undefined;
    const d: Def | undefined = s?._zod.def;
    if (!d) return {};
    if (d.type === 'object' && typeof key === 'string') s = d.shape?.[key];
    else if (d.type === 'array' && typeof key === 'number') s = d.element;
    else if (d.type === 'record') s = d.valueType;
    else return {};
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
    unwrap();
  }
  return { schema: s, description };
}

/** The union member a value is meant as: by discriminator, else the first object form that has all its keys. */
function pickOption(d: Def, value: unknown): Schema | undefined {
  const options = d.options ?? [];
  const obj = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  if (d.discriminator && obj) {
    const hit = options.find((o) => literalValues(o._zod.def.shape?.[d.discriminator!]).includes(obj[d.discriminator!]));
    if (hit) return hit;
  }
  if (obj) return options.find((o) => o._zod.def.type === 'object' && Object.keys(obj).every((k) => k in (o._zod.def.shape ?? {}))) ?? options.find((o) => o._zod.def.type === 'object');
  return options.find((o) => o._zod.def.type !== 'object') ?? options[0];
}

function literalValues(s: Schema | undefined): unknown[] {
  return s?._zod.def.type === 'literal' ? (s._zod.def.values ?? []) : [];
}

/** The known field names of the object at `path`, for "did you mean". */
function knownFields(root: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  const { schema } = fieldSchema(root, path, input);
  const d = schema?._zod.def;
  return d?.type === 'object' ? Object.keys(d.shape ?? {}) : [];
}

/** First sentence of a description, lower-cased at the start, without its full stop. */
function firstSentence(text: string): string {
  const sentence = text.split(/(?<=\.)\s/)[0].replace(/\.$/, '');
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'string' ? 'a string' : typeof v === 'number' ? (Number.isInteger(v) ? 'a whole number' : 'a number') : `a ${typeof v}`;
}

/** A value shown briefly in a message. */
function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const EXPECTED: Record<string, string> = {
  array: 'a list', object: 'an object', string: 'a string', number: 'a number', int: 'a whole number', boolean: 'true or false', record: 'an object',
};

/** Edit distance, for suggesting a close field or value name. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  // Two neighbours swapped (nmae, comamnd) is one slip, not two.
  const swapped = a.length === b.length && [...a].filter((ch, i) => ch !== b[i]).length === 2 && [...a].sort().join('') === [...b].sort().join('');
  return swapped ? 1 : row[b.length];
}

/** The closest of `names` to `word`, if close enough to be a likely typo. */
export function closest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = distance(word, n);
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

const quoteAll = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/** One issue as "field: what is wrong" lines (a union's issues are explained through the form the input was meant as). */
function describe(issue: Issue, root: z.ZodType, input: unknown, prefix: PropertyKey[] = []): string[] {
  const path = [...prefix, ...issue.path];
  const where = fieldPath(path);
  const value = valueAt(input, path);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected ?? ''] ?? issue.expected ?? 'something else';
      if (value === undefined) {
        const { description } = fieldSchema(root, path, input);
        return [`${where}: required: ${description ? firstSentence(description) : expected}`];
      }
      return [`${where}: expected ${expected}, got ${kindOf(value)} (${shown(value)})`];
    }
    case 'unrecognized_keys': {
      const known = knownFields(root, path, input);
      return (issue.keys ?? []).map((k) => {
        const near = closest(k, known);
        return `${where}: unknown field ${k}${near ? ` (did you mean ${near}?)` : known.length ? ` (known: ${known.join(', ')})` : ''}`;
      });
    }
    case 'invalid_value': {
      const allowed = issue.values ?? [];
      const near = typeof value === 'string' ? closest(value, allowed.filter((v): v is string => typeof v === 'string')) : undefined;
      return [`${where}: expected ${allowed.length === 1 ? JSON.stringify(allowed[0]) : `one of ${quoteAll(allowed)}`}, got ${shown(value)}${near ? ` (did you mean ${near}?)` : ''}`];
    }
    case 'invalid_key': {
      // A record's key broke its rule: name the key, and the rule (the key schema's own message).
      const rules = ((issue as { issues?: Array<{ message: string }> }).issues ?? []).map((i) => i.message);
      return [`${fieldPath(path.slice(0, -1))}: the name ${JSON.stringify(String(path.at(-1)))} is not ${rules.join('; ') || 'a valid name'}`];
    }
    case 'invalid_union':
      return describeUnion(issue, root, input, path, where, value);
    case 'too_small':
    case 'too_big':
      return [`${where}: ${sizeMessage(issue)}${typeof value === 'number' ? `, got ${value}` : ''}`];
    default: {
      // invalid_format and custom checks: the schema's own message says what is expected.
      const own = /^(Invalid|Too )/.test(issue.message) ? issue.message.toLowerCase() : `expected ${issue.message}`;
      return [`${where}: ${own}${value === undefined ? '' : `, got ${shown(value)}`}`];
    }
  }
}

function sizeMessage(issue: Issue): string {
  // A schema's own message says what the field is for: after the plain rule.
  if (!/^Too (small|big)/.test(issue.message)) return `${sizeMessage({ ...issue, message: issue.code === 'too_small' ? 'Too small' : 'Too big' })}: ${issue.message}`;
  const small = issue.code === 'too_small';
  const n = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'array') return `${small ? 'at least' : 'at most'} ${n} item${n === 1 ? '' : 's'}`;
  if (issue.origin === 'string') return small && n === 1 ? 'must not be empty' : `${small ? 'at least' : 'at most'} ${n} characters`;
  if (issue.inclusive === false) return `must be ${small ? 'greater' : 'less'} than ${n}`;
  return `must be ${small ? 'at least' : 'at most'} ${n}`;
}

function describeUnion(issue: Issue, root: z.ZodType, input: unknown, path: PropertyKey[], where: string, value: unknown): string[] {
  if (value === undefined && !issue.discriminator) {
    const { description } = fieldSchema(root, path, input);
    return [`${where}: required${description ? `: ${firstSentence(description)}` : ''}`];
  }
  if (issue.discriminator) {
    const options = issue.options ?? [];
    const tag = (value as Record<string, unknown> | undefined)?.[issue.discriminator];
    // zod puts the discriminator into the path already when the object is there.
    const at = path[path.length - 1] === issue.discriminator ? where : fieldPath([...path, issue.discriminator]);
    if (value === undefined || (typeof value === 'object' && value !== null && tag === undefined && path[path.length - 1] !== issue.discriminator)) {
      return [`${at}: required: one of ${quoteAll(options)}`];
    }
    const got = path[path.length - 1] === issue.discriminator ? value : tag;
    const near = typeof got === 'string' ? closest(got, options.filter((o): o is string => typeof o === 'string')) : undefined;
    return [`${at}: expected one of ${quoteAll(options)}, got ${shown(got)}${near ? ` (did you mean ${near}?)` : ''}`];
  }
  const branches = issue.errors ?? [];
  // Every form refused the value's type outright: say which types would do.
  const typeOnly = branches.every((b) => b.length === 1 && b[0].code === 'invalid_type' && b[0].path.length === 0);
  if (typeOnly && branches.length) {
    const expected = [...new Set(branches.map((b) => EXPECTED[b[0].expected ?? ''] ?? b[0].expected))];
    return [`${where}: expected ${expected.join(' or ')}, got ${kindOf(value)} (${shown(value)})`];
  }
  const strayKeys = (b: Issue[]): string[] => b.filter((i) => i.code === 'unrecognized_keys' && i.path.length === 0).flatMap((i) => i.keys ?? []);
  // Every object form has a field it does not know: fields of different forms were mixed.
  if (branches.length > 1 && branches.every((b) => strayKeys(b).length > 0)) {
    const keys = [...new Set(branches.flatMap(strayKeys))];
    return [`${where}: ${keys.join(' and ')} cannot be used together (they belong to different forms of ${where})`];
  }
  // Otherwise explain the form that came closest: fewest issues, and none about its own field names.
  const best = [...branches].sort((a, b) => a.length + 10 * strayKeys(a).length - (b.length + 10 * strayKeys(b).length))[0];
  if (!best) return [`${where}: ${issue.message}`];
  return best.flatMap((i) => describe(i, root, input, path));
}

/** Every issue of a failed parse, as "field: problem" lines. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root: z.ZodType, input: unknown): string[] {
  const lines = [...new Set(issues.flatMap((i) => describe(i as unknown as Issue, root, input)))];
  // "node: unknown field comand (did you mean command?)" explains "node.command: required" already.
  const meant = new Set(lines.flatMap((l) => {
    const m = /^(.*): unknown field \S+ \(did you mean (\S+)\?\)$/.exec(l);
    return m ? [`${m[1] === '(top level)' ? '' : `${m[1]}.`}${m[2]}: required`] : [];
  }));
  return lines.filter((l) => ![...meant].some((m) => l.startsWith(m)));
}

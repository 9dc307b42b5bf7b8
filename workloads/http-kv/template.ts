// A request template of the definition filled in for one op: {key}, {value},
// {from}, {to} in the path (URL-encoded) and in the JSON body (a string that is
// exactly one placeholder becomes its value; inside longer strings and object
// keys it is substituted as text). {{ and }} are literal braces, as in the
// node placeholders (clusters/defined/placeholders.ts); the schema has already
// refused placeholders an op does not have.

export interface RequestTemplate {
  method: string;
  path: string;
  body?: unknown;
}

/** What the placeholders of one op stand for: the key as a string, values as they travel (number or string). */
export type OpValues = Readonly<Record<string, string | number>>;

export interface FilledRequest {
  method: string;
  /** Path and query, placeholders URL-encoded. */
  path: string;
  /** The JSON body, or undefined for none. */
  body?: unknown;
}

const TOKEN = /\{\{|\}\}|\{([^{}]*)\}/g;

function valueOf(values: OpValues, name: string): string | number {
  if (!Object.hasOwn(values, name)) throw new Error(`http-kv template: no value for {${name}} here`);
  return values[name];
}

/** `text` with each placeholder replaced by `show(its value)`. */
function substitute(text: string, values: OpValues, show: (v: string | number) => string): string {
  return text.replace(TOKEN, (token, name: string | undefined) => (name === undefined ? token[0] : show(valueOf(values, name))));
}

/** A JSON template with the op's values in it. */
export function fillJson(template: unknown, values: OpValues): unknown {
  if (typeof template === 'string') {
    const whole = /^\{([^{}]*)\}$/.exec(template);
    return whole ? valueOf(values, whole[1]) : substitute(template, values, String);
  }
  if (Array.isArray(template)) return template.map((t) => fillJson(t, values));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [substitute(k, values, String), fillJson(v, values)]));
  }
  return template;
}

export function fillRequest(t: RequestTemplate, values: OpValues): FilledRequest {
  const path = substitute(t.path, values, (v) => encodeURIComponent(String(v)));
  return t.body === undefined ? { method: t.method, path } : { method: t.method, path, body: fillJson(t.body, values) };
}

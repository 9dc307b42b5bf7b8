// The http-kv part of the definition schema is strict: a typo in a field, a
// placeholder the op does not have, a GET with a body or an empty condition
// is refused when the file is loaded, not discovered mid-run.
import { describe, expect, it } from 'vitest';
import { httpKvSchema, imageSchema } from '../../clusters/defined/schema.ts';

const base = {
  protocol: 'http-kv',
  port: 'client',
  read: { method: 'GET', path: '/kv/{key}', value: 'value' },
  write: { method: 'PUT', path: '/kv/{key}', body: { value: '{value}' } },
};
const problems = (client: unknown): string[] => {
  const r = httpKvSchema.safeParse(client);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the http-kv schema', () => {
  it('takes a short definition and fills in the defaults', () => {
    const p = httpKvSchema.parse(base);
    expect(p).toMatchObject({ headers: {}, valueType: 'number', fail: [], info: [], write: { method: 'PUT' } });
    expect(httpKvSchema.parse({ ...base, write: { path: '/kv/put', body: ['{key}', '{value}'] } }).write.method).toBe('POST');
  });

  it('refuses a placeholder the op has no value for, naming the ones it has', () => {
    expect(problems({ ...base, read: { ...base.read, path: '/kv/{key}?v={value}' } })).toEqual([expect.stringMatching(/^read\.path: \{value\} is not a read placeholder; read has \{key\}/)]);
    expect(problems({ ...base, write: { path: '/kv', body: { k: '{key}', v: '{val}' } } })).toEqual([expect.stringMatching(/^write\.body: \{val\} is not a write placeholder; write has \{key\} \{value\}/)]);
    expect(problems({ ...base, cas: { path: '/cas', body: { '{name}': '{to}' }, mismatch: { status: 412 } } })).toEqual([expect.stringMatching(/^cas\.body: \{name\} is not a cas placeholder/)]);
    expect(problems({ ...base, write: { path: '/kv/{{literal}}/{key}', body: '{value}' } })).toEqual([]);
  });

  it('refuses a GET with a body, an empty condition, an unknown field, a bad status', () => {
    expect(problems({ ...base, read: { ...base.read, body: { key: '{key}' } } })).toEqual(['read.body: a GET request has no body: drop `body` or use POST']);
    expect(problems({ ...base, fail: [{}] })).toEqual(['fail.0: give at least one of status, field, equals, text']);
    expect(problems({ ...base, read: { ...base.read, notfound: { status: 404 } } })[0]).toMatch(/notfound/);
    expect(problems({ ...base, info: [{ status: 99 }] })).toHaveLength(1);
    expect(problems({ ...base, redirect: { when: { field: 'error', equals: 'not-leader' }, leader: 'a..b' } })).toHaveLength(1);
    expect(problems({ ...base, cas: { path: '/cas/{key}', body: '{to}' } })[0]).toMatch(/^cas\.mismatch/);
  });

  it('image.prepare is program and arguments, for images faultline builds', () => {
    expect(imageSchema.parse({ prepare: ['go', 'build', '.'], files: ['kvd'] })).toMatchObject({ prepare: ['go', 'build', '.'], files: ['kvd'], dirs: [] });
    expect(imageSchema.safeParse({ prepare: [], files: [] }).success).toBe(false);
    expect(imageSchema.safeParse({ prepare: 'make', files: [] }).success).toBe(false);
    expect(imageSchema.safeParse({ tag: 'mine:1', prepare: ['make'] }).success).toBe(false);
  });
});

// Request templates filled in for one op: placeholders in the path are
// URL-encoded, a body string that is exactly one placeholder becomes its JSON
// value, and values are never expanded a second time.
import { describe, expect, it } from 'vitest';
import { fillJson, fillRequest } from '../../workloads/http-kv/template.ts';

describe('http-kv request templates', () => {
  it('puts the key into the path URL-encoded, whatever it holds', () => {
    const t = { method: 'GET', path: '/v1/kv/{key}?cas={from}' };
    expect(fillRequest(t, { key: '7', from: 3 })).toEqual({ method: 'GET', path: '/v1/kv/7?cas=3' });
    expect(fillRequest(t, { key: 'a b/c?d&e#f%g', from: 3 }).path).toBe('/v1/kv/a%20b%2Fc%3Fd%26e%23f%25g?cas=3');
    expect(fillRequest(t, { key: 'ключ', from: -1 }).path).toBe('/v1/kv/%D0%BA%D0%BB%D1%8E%D1%87?cas=-1');
  });

  it('turns a body string that is exactly a placeholder into the value itself: a number stays a number, the key is a string', () => {
    const body = { key: '{key}', value: '{value}', meta: { note: 'set {key} to {value}', list: ['{value}', 1, true, null] } };
    expect(fillJson(body, { key: '12', value: 5 })).toEqual({ key: '12', value: 5, meta: { note: 'set 12 to 5', list: [5, 1, true, null] } });
    // valueType "string": the caller hands the value in as text.
    expect(fillJson(body, { key: '12', value: '5' })).toEqual({ key: '12', value: '5', meta: { note: 'set 12 to 5', list: ['5', 1, true, null] } });
  });

  it('substitutes in object keys, keeps {{ and }} as literal braces, and leaves numbers, booleans and null alone', () => {
    expect(fillJson({ '{key}': '{to}', 'x{{y}}': '{{literal}}' }, { key: 'k', to: 9 })).toEqual({ k: 9, 'x{y}': '{literal}' });
    expect(fillJson(42, { key: 'k' })).toBe(42);
    expect(fillJson(null, { key: 'k' })).toBe(null);
    expect(fillRequest({ method: 'POST', path: '/p/{{x}}' }, { key: 'k' }).path).toBe('/p/{x}');
  });

  it('never expands what a value brings in: a key that looks like a placeholder stays as it is', () => {
    expect(fillJson({ key: 'app/{key}', v: '{value}' }, { key: '{value}', value: 1 })).toEqual({ key: 'app/{value}', v: 1 });
    expect(fillRequest({ method: 'GET', path: '/{key}' }, { key: '{value}' }).path).toBe('/%7Bvalue%7D');
  });

  it('has no body unless the template has one, and refuses a placeholder the op has no value for', () => {
    expect(fillRequest({ method: 'DELETE', path: '/k/{key}' }, { key: '1' })).toEqual({ method: 'DELETE', path: '/k/1' });
    expect(() => fillRequest({ method: 'PUT', path: '/k/{key}', body: '{value}' }, { key: '1' })).toThrow(/no value for \{value\}/);
  });
});

// How a guarded read-modify-write turns each step's answer into ok / fail /
// info. The happy path runs against real etcd in test/docker/workloads.test.ts;
// here a scripted transport reaches the paths etcd cannot be made to take on
// cue (an error exactly on the read, exactly on the write, a guard that keeps
// failing).
import { describe, expect, it } from 'vitest';
import { b64 } from '../../clusters/etcd/api.ts';
import { guardedReadModifyWrite, prefixEnd, type EtcdPost, type Plan } from '../../workloads/etcd/guarded-txn.ts';

type Step = (body: Record<string, unknown>) => unknown;

/** A transport that answers each POST with the next scripted step (a value, or a throw), and records the bodies. */
function scripted(steps: Step[]): { post: EtcdPost; bodies: Array<Record<string, unknown>> } {
  const bodies: Array<Record<string, unknown>> = [];
  const post = (async (_path: string, body: unknown) => {
    bodies.push(body as Record<string, unknown>);
    const step = steps.shift();
    if (!step) throw new Error('unexpected request');
    return step(body as Record<string, unknown>);
  }) as EtcdPost;
  return { post, bodies };
}

const kv = (key: string, value: string, modRevision: number) => ({ key: b64(key), value: b64(value), mod_revision: String(modRevision) });
const readAnswer = (...kvs: Array<ReturnType<typeof kv>>) => () => ({ responses: kvs.map((k) => ({ response_range: { kvs: [k] } })) });
const increment: (snap: ReadonlyMap<string, { value: string }>) => Plan<string> = (snap) => ({ writes: new Map([['c', String(Number(snap.get('c')?.value ?? 0) + 1)]]), result: 'done' });
const opts = { maxAttempts: 3, serializable: false };
const refused = () => {
  throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
};
const timeout = () => {
  throw Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
};

describe('guardedReadModifyWrite', () => {
  it('reads, then writes under a mod_revision guard on every key read; ok when the guard holds', async () => {
    const { post, bodies } = scripted([readAnswer(kv('c', '4', 17)), () => ({ succeeded: true })]);
    expect(await guardedReadModifyWrite(post, ['c'], increment, opts)).toEqual({ type: 'ok', value: 'done' });
    expect(bodies[1]).toEqual({
      compare: [{ key: b64('c'), target: 'MOD', result: 'EQUAL', mod_revision: '17' }],
      success: [{ request_put: { key: b64('c'), value: b64('5') } }],
    });
  });

  it('an absent key is guarded as mod_revision 0', async () => {
    const { post, bodies } = scripted([() => ({ responses: [{ response_range: {} }] }), () => ({ succeeded: true })]);
    await guardedReadModifyWrite(post, ['c'], increment, opts);
    expect((bodies[1].compare as Array<{ mod_revision: string }>)[0].mod_revision).toBe('0');
  });

  it('a failed guard (succeeded omitted) reads again and retries; fail after maxAttempts', async () => {
    const lost = () => ({ header: { revision: '9' } });
    const retried = scripted([readAnswer(kv('c', '1', 2)), lost, readAnswer(kv('c', '2', 3)), () => ({ succeeded: true })]);
    expect(await guardedReadModifyWrite(retried.post, ['c'], increment, opts)).toEqual({ type: 'ok', value: 'done' });
    expect((retried.bodies[3].success as Array<{ request_put: { value: string } }>)[0].request_put.value).toBe(b64('3'));

    const never = scripted([readAnswer(kv('c', '1', 2)), lost, readAnswer(kv('c', '1', 2)), lost, readAnswer(kv('c', '1', 2)), lost]);
    expect(await guardedReadModifyWrite(never.post, ['c'], increment, opts)).toEqual({ type: 'fail', error: 'guard failed 3 times: other writers kept changing the keys' });
  });

  it('outcomes: a read error is fail; a write timeout is info; a refused write is fail; an abort is fail', async () => {
    expect((await guardedReadModifyWrite(scripted([timeout]).post, ['c'], increment, opts)).type).toBe('fail');
    expect(await guardedReadModifyWrite(scripted([readAnswer(kv('c', '1', 2)), timeout]).post, ['c'], increment, opts)).toEqual({ type: 'info', error: 'timeout' });
    expect((await guardedReadModifyWrite(scripted([readAnswer(kv('c', '1', 2)), refused]).post, ['c'], increment, opts)).type).toBe('fail');
    const abort = await guardedReadModifyWrite(scripted([readAnswer(kv('c', '1', 2))]).post, ['c'], () => ({ abort: 'insufficient funds' }), opts);
    expect(abort).toEqual({ type: 'fail', error: 'insufficient funds' });
  });

  it('nothing to write: the read alone is the transaction; nothing to read: one unguarded write', async () => {
    const readOnly = scripted([readAnswer(kv('c', '1', 2))]);
    expect(await guardedReadModifyWrite(readOnly.post, ['c'], () => ({ writes: new Map(), result: 'r' }), opts)).toEqual({ type: 'ok', value: 'r' });
    const blind = scripted([() => ({ succeeded: true })]);
    expect(await guardedReadModifyWrite(blind.post, [], () => ({ writes: new Map([['w', '1']]), result: 'w' }), opts)).toEqual({ type: 'ok', value: 'w' });
    expect(blind.bodies[0].compare).toEqual([]);
  });

  it('unsafeSkipGuard writes without any compare', async () => {
    const { post, bodies } = scripted([readAnswer(kv('c', '4', 17)), () => ({ succeeded: true })]);
    await guardedReadModifyWrite(post, ['c'], increment, { ...opts, unsafeSkipGuard: true });
    expect(bodies[1].compare).toEqual([]);
  });

  it('stops retrying once the retry window has passed', async () => {
    const lost = () => new Promise((r) => setTimeout(() => r({}), 30));
    const { post } = scripted([readAnswer(kv('c', '1', 2)), lost, readAnswer(kv('c', '1', 2)), lost]);
    const c = await guardedReadModifyWrite(post, ['c'], increment, { maxAttempts: 10, serializable: false, retryWindowMs: 1 });
    expect(c).toEqual({ type: 'fail', error: 'guard failed once: other writers kept changing the keys' });
  });
});

it('prefixEnd: the first key after the prefix', () => {
  expect(prefixEnd('set/')).toBe('set0');
  expect(prefixEnd('a')).toBe('b');
});

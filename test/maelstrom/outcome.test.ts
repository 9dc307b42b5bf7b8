// Maelstrom answers as completions: the error table's definite codes are
// fails, indefinite and unknown codes info, any failed read a fail; the
// shim's own statuses (never delivered, node died, no reply in time); and the
// register and append ops as lin-kv and txn-list-append bodies and back.
import { describe, expect, it } from 'vitest';
import { MAELSTROM_ERRORS, isDefiniteError, describeError } from '../../clusters/index.ts';
import { linKvRequest, maelstromClients, replyOrCompletion, txnRequest, txnResult, type ShimAnswer, type TxnMicroOp } from '../../workloads/index.ts';

const error = (code: number, text = 'because'): ShimAnswer => ({ status: 200, body: { type: 'error', in_reply_to: 2, code, text } });
const typeOf = (a: ShimAnswer, readOnly = false) => {
  const o = replyOrCompletion(a, 'write_ok', readOnly);
  return 'reply' in o ? 'ok' : o.completion.type;
};

describe("Maelstrom's error table", () => {
  it.each([1, 10, 11, 12, 14, 20, 21, 22, 30])('code %i is definite: fail', (code) => {
    expect(isDefiniteError(code)).toBe(true);
    expect(typeOf(error(code))).toBe('fail');
  });

  it.each([0, 13, 99, -1])('code %i is indefinite or unknown: info', (code) => {
    expect(isDefiniteError(code)).toBe(false);
    expect(typeOf(error(code))).toBe('info');
  });

  it('a read that fails in any way is a fail: it changed nothing', () => {
    for (const code of [0, 13, 99]) expect(typeOf(error(code), true)).toBe('fail');
    expect(typeOf({ status: 504, error: 'no reply' }, true)).toBe('fail');
    expect(typeOf({ status: 502, error: 'node died' }, true)).toBe('fail');
  });

  it('names the error in the completion', () => {
    const o = replyOrCompletion(error(22, 'expected 3, have 4'), 'cas_ok', false);
    expect(o).toEqual({ completion: { type: 'fail', error: 'precondition-failed (22): expected 3, have 4' } });
    expect(describeError(77)).toBe('error code 77');
    expect(Object.keys(MAELSTROM_ERRORS).length).toBe(11);
  });
});

describe('shim statuses', () => {
  it('never delivered (503, 400) is a fail; node died (502) or no reply (504) is info', () => {
    expect(typeOf({ status: 503, error: 'node n1 is not running' })).toBe('fail');
    expect(typeOf({ status: 400, error: 'bad body' })).toBe('fail');
    expect(typeOf({ status: 502, error: 'node n1 was killed by SIGKILL before it answered' })).toBe('info');
    const timeout = replyOrCompletion({ status: 504, error: 'no reply from node n1 within 900 ms' }, 'write_ok', false);
    expect(timeout).toEqual({ completion: { type: 'info', error: 'timeout: no reply from node n1 within 900 ms' } });
  });

  it('a reply of the wrong type may have applied: info', () => {
    const o = replyOrCompletion({ status: 200, body: { type: 'read_ok', in_reply_to: 2, value: 1 } }, 'write_ok', false);
    expect('completion' in o && o.completion.type).toBe('info');
    expect('completion' in o && o.completion.error).toMatch(/expected a write_ok reply/);
  });

  it('the expected reply is handed on', () => {
    expect(replyOrCompletion({ status: 200, body: { type: 'cas_ok', in_reply_to: 4 } }, 'cas_ok', false)).toEqual({ reply: { type: 'cas_ok', in_reply_to: 4 } });
  });
});

describe('ops as Maelstrom bodies', () => {
  it('register ops are lin-kv requests', () => {
    expect(linKvRequest({ f: 'read', value: [3, null] })).toEqual({ type: 'read', key: 3 });
    expect(linKvRequest({ f: 'write', value: [3, 7] })).toEqual({ type: 'write', key: 3, value: 7 });
    expect(linKvRequest({ f: 'cas', value: [3, [7, 8]] })).toEqual({ type: 'cas', key: 3, from: 7, to: 8 });
    expect(linKvRequest({ f: 'frob', value: [3, null] })).toBeUndefined();
  });

  it('append transactions are txn-list-append requests, and their txn_ok the history value', () => {
    const mops: TxnMicroOp[] = [['r', 1, null], ['append', 1, 4], ['r', 2, null]];
    expect(txnRequest(mops)).toEqual({ type: 'txn', txn: [['r', 1, null], ['append', 1, 4], ['r', 2, null]] });
    // Maelstrom reads an absent key as null; the append workload as [].
    expect(txnResult(mops, [['r', 1, [1, 2]], ['append', 1, 4], ['r', 2, null]])).toEqual({ value: [['r', 1, [1, 2]], ['append', 1, 4], ['r', 2, []]] });
  });

  it('a txn_ok that does not answer the request is named', () => {
    const mops: TxnMicroOp[] = [['r', 1, null], ['append', 2, 5]];
    expect(txnResult(mops, [['r', 1, []]])).toEqual({ problem: 'txn_ok has 1 micro-ops for 2' });
    expect(txnResult(mops, [['r', 1, []], ['append', 3, 5]])).toMatchObject({ problem: expect.stringMatching(/micro-op 1/) });
    expect(txnResult(mops, [['r', 1, 7], ['append', 2, 5]])).toMatchObject({ problem: expect.stringMatching(/not a list/) });
    expect(txnResult(mops, undefined)).toMatchObject({ problem: expect.stringMatching(/no micro-ops/) });
  });
});

describe('maelstromClients', () => {
  it('serves the workloads of the Maelstrom workloads the node was written for', () => {
    expect(Object.keys(maelstromClients({ timeoutMs: 1000, protocol: { serves: ['lin-kv'] } }))).toEqual(['register']);
    expect(Object.keys(maelstromClients({ timeoutMs: 1000, protocol: { serves: ['txn-list-append'] } }))).toEqual(['append']);
    expect(Object.keys(maelstromClients({ timeoutMs: 1000, protocol: { serves: ['lin-kv', 'txn-list-append'] } })).sort()).toEqual(['append', 'register']);
  });
});

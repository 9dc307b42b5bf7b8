// How a ZooKeeper error maps onto Jepsen's completion types. Errors the
// server answers about the request itself are definite: BadVersion, NoNode,
// NodeExists, NotEmpty, BadArguments mean it was refused and nothing changed
// (fail). A timeout, a lost connection or an expired session may have struck
// after the server applied the request, so the outcome is unknown (info).
import zookeeper from 'node-zookeeper-client';
import type { Completion } from '../../history/index.ts';

const { Exception } = zookeeper;

/** Our own deadline passed with no answer (the request may still be queued or in flight). */
export class ZkTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'ZkTimeout';
  }
}

/** The ZooKeeper error code of an error, if it is one of node-zookeeper-client's. */
export function zkCode(err: unknown): number | undefined {
  return err instanceof Exception ? err.getCode() : undefined;
}

const DEFINITE = new Set([Exception.BAD_VERSION, Exception.NO_NODE, Exception.NODE_EXISTS, Exception.NOT_EMPTY, Exception.BAD_ARGUMENTS, Exception.NO_AUTH, Exception.NO_CHILDREN_FOR_EPHEMERALS]);

/** True when the server refused the request: it certainly did not happen. */
export function definiteRefusal(err: unknown): boolean {
  const code = zkCode(err);
  return code !== undefined && DEFINITE.has(code);
}

export function zkErrorText(err: unknown): string {
  if (err instanceof Exception) return err.getName();
  return (err as Error)?.message ?? String(err);
}

/** fail for a definite refusal, info for everything else (timeouts, connection loss, session expiry). */
export function completionForZkError(err: unknown): Completion {
  return { type: definiteRefusal(err) ? 'fail' : 'info', error: zkErrorText(err) };
}

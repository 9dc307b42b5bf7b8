// How an etcd request error maps onto Jepsen's completion types. The rule is
// "fail only when we know it did not happen": a read changes nothing, so any
// read error is a fail; a write refused before it was sent (connection refused)
// is a fail; everything else (timeouts, resets, "request timed out", "leader
// changed", unknown errors) may have been applied and is info.
import type { Completion } from '../../history/index.ts';
import { EtcdHttpError } from '../../clusters/index.ts';

function causeCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: string } })?.cause;
  return cause?.code ?? (err as { code?: string })?.code;
}

export function errorText(err: unknown): string {
  if (err instanceof EtcdHttpError) {
    try {
      const body = JSON.parse(err.body) as { error?: string; message?: string };
      return body.message ?? body.error ?? err.message;
    } catch {
      return err.message;
    }
  }
  const e = err as Error;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const code = causeCode(err);
  return code ? `${e.message} (${code})` : (e?.message ?? String(err));
}

/** Was the request certainly not applied? Only when it never left this host. */
export function definitelyNotSent(err: unknown): boolean {
  return causeCode(err) === 'ECONNREFUSED';
}

export function completionForError(err: unknown, opts: { readOnly: boolean }): Completion {
  const error = errorText(err);
  if (opts.readOnly || definitelyNotSent(err)) return { type: 'fail', error };
  return { type: 'info', error };
}

/**
 * How long a client waits after a refused connection before it reports the
 * fail: a node that is down refuses in microseconds, and without a pause its
 * workers would record tens of thousands of identical fails per kill.
 */
export const REFUSED_BACKOFF_MS = 100;

/** completionForError, after REFUSED_BACKOFF_MS when the node refused the connection. */
export async function completionAfterError(err: unknown, opts: { readOnly: boolean }): Promise<Completion> {
  if (definitelyNotSent(err)) await new Promise((r) => setTimeout(r, REFUSED_BACKOFF_MS));
  return completionForError(err, opts);
}

// raftkv's state for the divergence check (raftkv/client-api.ts):
// GET /admin/hash?index=N waits until N is applied and answers the state hash
// right after N; GET /admin/keys lists the current state (used when it is
// still at N, as it is once the cluster is quiet); GET /admin/hashes?to=N the
// hashes after every earlier index the node still remembers, so damage a
// later snapshot overwrote is found too.
import type { StateReport } from '../../checkers/index.ts';
import { MAX_LISTED_KEYS, retryUntil, showValue } from './report.ts';
import type { StateSource } from './source.ts';
import { abortAfter } from '../../clusters/index.ts';

interface AdminStatus {
  role: string;
  term: number;
  commitIndex: number;
  appliedIndex: number;
  hash: string;
}

/** Share of the budget spent waiting for the common index; the rest reports what the node has instead. */
const WAIT_SHARE = 0.6;

async function getJson<T>(url: string, timeoutMs: number): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { signal: abortAfter(timeoutMs) });
  return { status: res.status, body: (await res.json()) as T };
}

export function raftkvStateSource(urls: Record<string, string>): StateSource {
  const url = (node: string): string => {
    const u = urls[node];
    if (!u) throw new Error(`no client URL for node ${node}`);
    return u;
  };
  return {
    commonIndex: (deadline) =>
      retryUntil(deadline, async (remaining) => {
        const answers = await Promise.allSettled(Object.values(urls).map((u) => getJson<AdminStatus>(`${u}/admin/status`, Math.min(1000, remaining))));
        const ok = answers.flatMap((a) => (a.status === 'fulfilled' && a.value.status === 200 ? [a.value.body] : []));
        const leader = ok.filter((s) => s.role === 'leader').sort((a, b) => b.term - a.term)[0];
        if (!leader) throw new Error(`no leader answered (${ok.length} of ${answers.length} nodes up)`);
        return leader.commitIndex;
      }),

    async report(node, index, deadline): Promise<StateReport> {
      const base = url(node);
      // The node waits until it has applied `index`; retried while it is still restarting.
      const waitUntil = Date.now() + (deadline - Date.now()) * WAIT_SHARE;
      let report: StateReport;
      try {
        const hash = await retryUntil(waitUntil, async (remaining) => {
          const got = await getJson<{ hash?: string; error?: string; appliedIndex?: number }>(
            `${base}/admin/hash?index=${index}&timeoutMs=${Math.max(1, remaining - 200)}`,
            remaining,
          );
          if (got.status === 200 && got.body.hash !== undefined) return got.body.hash;
          throw new Error(`no hash at index ${index}: ${got.body.error ?? `HTTP ${got.status}`} (applied ${got.body.appliedIndex ?? '?'})`);
        });
        report = { node, index, hash };
      } catch (err) {
        // A node that cannot get there (stuck, or its log was cut short) still says where it is:
        // the checker cannot compare it at the common index, but it can compare its hash history.
        let at: AdminStatus;
        try {
          at = (await getJson<AdminStatus>(`${base}/admin/status`, Math.max(1, Math.min(1000, deadline - Date.now())))).body;
        } catch {
          throw err;
        }
        report = { node, index: at.appliedIndex, hash: at.hash, term: at.term };
      }
      try {
        const got = await getJson<{ entries: Array<[number, string]> }>(`${base}/admin/hashes?to=${report.index}`, Math.max(1, Math.min(2000, deadline - Date.now())));
        if (got.status === 200) report.history = got.body.entries;
      } catch {
        // The hash at the common index still decides; the history only adds earlier points.
      }
      try {
        report.term ??= (await getJson<AdminStatus>(`${base}/admin/status`, Math.max(1, Math.min(1000, deadline - Date.now())))).body.term;
      } catch {
        // The hash alone still decides divergence; without a term the elections check says unknown.
      }
      try {
        const listing = await retryUntil(deadline, (ms) => getJson<{ index: number; entries: Array<[string, unknown]> }>(`${base}/admin/keys`, ms));
        const entries = listing.body.entries;
        report.keys = entries.slice(0, MAX_LISTED_KEYS).map(([k, v]): [string, string] => [k, showValue(JSON.stringify(v))]);
        report.keysIndex = listing.body.index;
        if (entries.length > MAX_LISTED_KEYS) report.keysTruncated = true;
      } catch {
        // The hash alone still decides; keys only explain.
      }
      return report;
    },
  };
}

// The register workload against a system described by an http-kv definition:
// each op is the definition's request template filled in, sent to the
// worker's node, its answer judged by verdict.ts; redirects are followed to
// the leader (workloads/leader-redirect.ts), transport errors mapped as for
// every HTTP client (workloads/etcd/outcome.ts: a read fails, a write that
// may have been sent is info).
import type { HttpKvProtocol } from '../../clusters/index.ts';
import type { Completion, Op } from '../../history/index.ts';
import type { Client } from '../workload.ts';
import { completionAfterError } from '../etcd/outcome.ts';
import { followRedirects } from '../leader-redirect.ts';
import { kvAnswer, type KvAnswer } from './answer.ts';
import { redirectTarget } from './redirect-target.ts';
import { fillRequest, type FilledRequest, type OpValues, type RequestTemplate } from './template.ts';
import { verdictFor, type RegisterF, type Verdict } from './verdict.ts';
import { abortAfter } from '../../clusters/index.ts';

export interface HttpKvClientOptions {
  /** Client URL per node (DockerClusterInfo.urls): http://<ip>:<protocol port>. */
  urls: Record<string, string>;
  /** Whole-op budget, ms: the client gives up (info, or fail for reads) a little before it. */
  timeoutMs: number;
  protocol: HttpKvProtocol;
}

export class HttpKvRegisterClient implements Client {
  private node = '';

  constructor(private readonly o: HttpKvClientOptions) {}

  async open(node: string): Promise<void> {
    if (!this.o.urls[node]) throw new Error(`no client URL for node ${node}`);
    this.node = node;
  }

  async close(): Promise<void> {}

  async invoke(op: Op): Promise<Completion> {
    const planned = requestFor(op, this.o.protocol);
    if (typeof planned === 'string') return { type: 'fail', error: planned }; // never sent
    try {
      return completion(await this.send(planned.f, fillRequest(planned.template, planned.values)), op);
    } catch (err) {
      return completionAfterError(err, { readOnly: planned.f === 'read' });
    }
  }

  /** Send the request to this client's node, following redirects; the last answer's verdict. */
  private send(f: RegisterF, request: FilledRequest): Promise<Verdict> {
    const { urls, timeoutMs, protocol } = this.o;
    return followRedirects({ node: this.node, timeoutMs, isNode: (n) => Object.hasOwn(urls, n) }, async (node, leftMs) => {
      const verdict = verdictFor(f, protocol, await exchange(urls[node], request, protocol.headers, leftMs));
      return { answer: verdict, redirectTo: verdict.type === 'redirect' ? redirectTarget(verdict.leader, urls, node) : undefined };
    });
  }
}

/** The template and placeholder values of a register op, or why it cannot be sent. */
function requestFor(op: Op, p: HttpKvProtocol): { f: RegisterF; template: RequestTemplate; values: OpValues } | string {
  const [key, arg] = op.value as [unknown, unknown];
  const travel = (v: unknown): string | number => (p.valueType === 'string' ? String(v) : (v as number));
  switch (op.f) {
    case 'read':
      return { f: 'read', template: p.read, values: { key: String(key) } };
    case 'write':
      return { f: 'write', template: p.write, values: { key: String(key), value: travel(arg) } };
    case 'cas': {
      if (!p.cas) return 'cas: the definition has no client.cas'; // the loader refuses that for register
      const [from, to] = arg as [unknown, unknown];
      return { f: 'cas', template: p.cas, values: { key: String(key), from: travel(from), to: travel(to) } };
    }
    default:
      return `register: unknown f ${op.f}`;
  }
}

async function exchange(baseUrl: string, r: FilledRequest, headers: Record<string, string>, timeoutMs: number): Promise<KvAnswer> {
  const withBody = r.body !== undefined;
  const typed = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  const res = await fetch(baseUrl + r.path, {
    method: r.method,
    headers: withBody && !typed ? { 'content-type': 'application/json', ...headers } : headers,
    ...(withBody ? { body: JSON.stringify(r.body) } : {}),
    redirect: 'manual', // a 3xx is a redirect to the leader: verdict.ts follows it within the hop bound
    signal: abortAfter(timeoutMs),
  });
  return kvAnswer(res.status, await res.text(), res.headers.get('location') ?? undefined);
}

/** The register completion for a final verdict. A redirect still standing after every hop: no node took the op. */
function completion(v: Verdict, op: Op): Completion {
  const [key, arg] = op.value as [unknown, unknown];
  switch (v.type) {
    case 'ok':
      return { type: 'ok', value: op.f === 'read' ? [key, v.value] : [key, arg] };
    case 'redirect':
      return { type: 'fail', error: v.error };
    default:
      return { type: v.type, error: v.error };
  }
}

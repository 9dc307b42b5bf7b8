// One client worker: bound to one node, one client at a time, one op at a
// time. Definite failures are `fail`; anything indeterminate (timeout,
// connection reset, unknown error, a throw) is `info`, after which the
// client is dropped and the worker continues under a new process with a
// freshly opened client, as in Jepsen.
import type { OpSpec } from '../../generator/index.ts';
import type { HistoryRecorder } from '../../history/index.ts';
import type { Op } from '../../history/index.ts';
import type { Client } from '../../workloads/index.ts';
import type { Completion } from '../../history/index.ts';
import type { ProcessTable } from './processes.ts';
import type { RunStats } from './stats.ts';
import { delay, withTimeout } from '../../clusters/index.ts';
import { errorText } from '../../history/index.ts';

export interface ClientWorkerOptions {
  node: string;
  process: number;
  makeClient: () => Client;
  recorder: HistoryRecorder;
  processes: ProcessTable;
  stats: RunStats;
  opTimeoutMs: number;
  /** Pause after a failed open, so a dead node does not become a busy loop. */
  reopenBackoffMs: number;
}

export class ClientWorker {
  process: number;
  private client: Client | undefined;
  /** Clients being closed in the background (never awaited while the run goes on). */
  private readonly closing: Promise<void>[] = [];

  constructor(private readonly o: ClientWorkerOptions) {
    this.process = o.process;
  }

  get node(): string {
    return this.o.node;
  }

  /** Opens a client if there is none; returns the error text if that failed. */
  async ensureOpen(): Promise<string | undefined> {
    if (this.client) return undefined;
    const client = this.o.makeClient();
    try {
      await withTimeout(client.open(this.o.node), this.o.opTimeoutMs, `opening a client to ${this.o.node}`);
      this.client = client;
      return undefined;
    } catch (e) {
      this.closeInBackground(client);
      return errorText(e);
    }
  }

  async execute(spec: OpSpec): Promise<void> {
    const { recorder, stats } = this.o;
    const openError = await this.ensureOpen();
    const invoke = recorder.invoke(this.process, spec.f, spec.value ?? null, this.o.node);
    stats.invoked++;
    if (openError !== undefined) {
      // Nothing was sent, so the op definitely did not happen.
      this.finish(invoke, { type: 'fail', error: `no client: ${openError}` });
      await delay(this.o.reopenBackoffMs);
      return;
    }
    let c: Completion;
    try {
      c = checked(await withTimeout(this.client!.invoke(invoke), this.o.opTimeoutMs, 'request'));
    } catch (e) {
      c = { type: 'info', error: errorText(e) };
    }
    this.finish(invoke, c);
    if (c.type === 'info') this.retire();
  }

  private finish(invoke: Op, c: Completion): void {
    this.o.recorder.complete(invoke, c);
    this.o.stats.count(c.type);
  }

  /** After an info: the old client may hold a hung request; drop it, new process. */
  private retire(): void {
    if (this.client) this.closeInBackground(this.client);
    this.client = undefined;
    this.process = this.o.processes.next(this.process);
  }

  private closeInBackground(client: Client): void {
    this.closing.push(
      withTimeout(Promise.resolve().then(() => client.close()), this.o.opTimeoutMs, 'closing a client').catch(() => undefined),
    );
  }

  /** Closes the current client; waits (bounded) for every close started. */
  async close(): Promise<void> {
    if (this.client) this.closeInBackground(this.client);
    this.client = undefined;
    await Promise.all(this.closing);
  }
}

function checked(c: Completion): Completion {
  if (c && (c.type === 'ok' || c.type === 'fail' || c.type === 'info')) return c;
  return { type: 'info', error: `client returned an invalid completion: ${JSON.stringify(c)}` };
}

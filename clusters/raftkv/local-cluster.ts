// Runs a Raft KV cluster as local processes (the esbuild bundle, as a container would) on
// loopback ports with temp data dirs: for process-level tests and the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleServer } from './bundle.ts';
import { freePort } from '../local-ports.ts';
import { serverArgs } from '../../raftkv/index.ts';
import type { Outcome, ServerStatus } from '../../raftkv/index.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface NodeSpec {
  id: string;
  peerPort: number;
  clientPort: number;
  dataDir: string;
  proc?: ChildProcess;
  log: string;
}

export class LocalCluster {
  readonly nodes: NodeSpec[] = [];

  private constructor(
    readonly root: string,
    readonly serverFile: string,
    private readonly extraArgs: string[],
  ) {}

  /** Bundle the server and lay out `size` nodes (not started). */
  static async create(size: number, extraArgs: string[] = []): Promise<LocalCluster> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'raftkv-'));
    const serverFile = path.join(root, 'server.mjs');
    await bundleServer(serverFile);
    const c = new LocalCluster(root, serverFile, extraArgs);
    for (let i = 1; i <= size; i++) {
      c.nodes.push({ id: `n${i}`, peerPort: await freePort(), clientPort: await freePort(), dataDir: path.join(root, `n${i}`), log: '' });
    }
    return c;
  }

  get peerUrls(): Map<string, string> {
    return new Map(this.nodes.map((n) => [n.id, `http://127.0.0.1:${n.peerPort}`]));
  }

  node(id: string): NodeSpec {
    return this.nodes.find((n) => n.id === id)!;
  }

  async start(id: string): Promise<void> {
    const n = this.node(id);
    const args = [this.serverFile, ...serverArgs({ id, peers: this.peerUrls, clientPort: n.clientPort, dataDir: n.dataDir, host: '127.0.0.1' }), ...this.extraArgs];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr!.on('data', (d: Buffer) => (n.log += d.toString()));
    n.proc = proc;
    for (let i = 0; i < 100; i++) {
      if (await this.status(id).catch(() => undefined)) return;
      if (proc.exitCode !== null) throw new Error(`${id} exited ${proc.exitCode}: ${n.log}`);
      await sleep(50);
    }
    throw new Error(`${id} did not come up: ${n.log}`);
  }

  async startAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.start(n.id)));
  }

  /** SIGKILL and wait for the process to be gone. */
  async kill(id: string): Promise<void> {
    const p = this.node(id).proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.kill(n.id)));
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  private async get<T>(id: string, pathAndQuery: string): Promise<T> {
    const res = await fetch(`http://127.0.0.1:${this.node(id).clientPort}${pathAndQuery}`, { signal: AbortSignal.timeout(3_000) });
    return (await res.json()) as T;
  }

  status(id: string): Promise<ServerStatus> {
    return this.get(id, '/admin/status');
  }

  keys(id: string): Promise<{ index: number; entries: [string, unknown][] }> {
    return this.get(id, '/admin/keys');
  }

  hashAt(id: string, index: number): Promise<{ index: number; hash: string }> {
    return this.get(id, `/admin/hash?index=${index}&timeoutMs=5000`);
  }

  async call(id: string, op: string, body: object): Promise<Outcome> {
    const res = await fetch(`http://127.0.0.1:${this.node(id).clientPort}/kv/${op}`, {
      method: 'POST',
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    return (await res.json()) as Outcome;
  }

  /** Wait for a leader among the running nodes that all running nodes agree on. */
  async leader(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const live = this.nodes.filter((n) => n.proc && n.proc.exitCode === null && n.proc.signalCode === null);
      const statuses = await Promise.all(live.map((n) => this.status(n.id).catch(() => undefined)));
      const leaders = statuses.filter((s) => s?.role === 'leader');
      if (leaders.length === 1) return leaders[0]!.id;
      await sleep(50);
    }
    throw new Error('no leader');
  }

  private lastLeader: string | undefined;

  /** Send to whichever node leads, following not-leader hints; retries only definite failures of that kind. */
  async request(op: string, body: object): Promise<Outcome> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const leader = (this.lastLeader ??= await this.leader());
      const out = await this.call(leader, op, body).catch((err: Error): Outcome => {
        this.lastLeader = undefined; // down or unreachable: look again next time
        // A refused connection never reached the node: definitely not done, so retry.
        const refused = (err.cause as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED';
        return { ok: false, outcome: refused ? 'fail' : 'info', error: refused ? 'not-leader' : 'network' };
      });
      if (out.ok || out.outcome === 'info' || out.error !== 'not-leader') return out;
      this.lastLeader = out.leader ?? undefined;
      if (!out.leader) await sleep(50);
    }
    throw new Error(`${op} kept failing with not-leader`);
  }

  /** A put with a generous commit timeout (tests want ok, not info, on a loaded machine). */
  put(key: string, value: unknown, timeoutMs = 10_000): Promise<Outcome> {
    return this.request('put', { key, value, timeoutMs });
  }
}

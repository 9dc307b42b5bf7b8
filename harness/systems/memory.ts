// An in-memory "cluster" for tests, the controller bench and
// `faultline test --db memory` (a dry run of the controller without Docker): a single
// register map shared by every node (so it is linearizable by construction),
// replies delivered asynchronously like network replies, and hooks to make
// ops fail, hang or throw. A partition here makes requests to the isolated
// nodes hang, so the run loop's timeouts and renumbering get exercised.
import fs from 'node:fs';
import path from 'node:path';
import {
  concat,
  eachWorker,
  fn,
  mix,
  once,
  repeat,
  sleep,
  cycle,
  seconds,
  type Generator,
} from '../../generator/index.ts';
import { checkerFromSpec } from '../../checkers/index.ts';
import type { Op } from '../../history/index.ts';
import type { Checker } from '../../checkers/index.ts';
import type { Client, Workload } from '../../workloads/index.ts';
import type { Cluster, ClusterInfo } from '../../clusters/index.ts';
import type { Completion } from '../../history/index.ts';
import type { Nemesis, NemesisPlan } from '../../nemeses/index.ts';
import type { TestDefinition } from '../test-definition.ts';

/** How one client op should end; 'apply' performs it. */
export type Behaviour = 'apply' | 'fail' | 'info' | 'hang' | 'throw';

export interface MemoryDbOptions {
  nodes?: string[];
  /** Decides each op's fate (default: apply). */
  behaviour?: (op: Op, node: string) => Behaviour;
  /** Reply after this many ms instead of on the next event-loop turn. */
  latencyMs?: number;
}

export class MemoryCluster implements Cluster {
  readonly name = 'memory';
  readonly nodes: string[];
  /** Lifecycle and fault calls, in order, for tests to assert on. */
  readonly calls: string[] = [];
  readonly data = new Map<string, unknown>();
  readonly isolated = new Set<string>();
  opens = 0;
  closes = 0;

  constructor(readonly opts: MemoryDbOptions = {}) {
    this.nodes = opts.nodes ?? ['n1', 'n2', 'n3', 'n4', 'n5'];
  }

  version(): string {
    return 'memory-1';
  }
  async setup(): Promise<ClusterInfo> {
    this.calls.push('setup');
    return { nodes: this.nodes };
  }
  async waitHealthy(): Promise<void> {
    this.calls.push('waitHealthy');
  }
  async collectLogs(_info: ClusterInfo, dir: string): Promise<void> {
    this.calls.push('collectLogs');
    for (const n of this.nodes) {
      fs.mkdirSync(path.join(dir, n), { recursive: true });
      fs.writeFileSync(path.join(dir, n, 'memory.log'), `node ${n}: ${this.data.size} keys\n`);
    }
  }
  async teardown(): Promise<void> {
    this.calls.push('teardown');
  }

  /** The register semantics every client shares. */
  apply(op: Op): Completion {
    const key = 'r';
    switch (op.f) {
      case 'read':
        return { type: 'ok', value: this.data.get(key) ?? null };
      case 'write':
        this.data.set(key, op.value);
        return { type: 'ok', value: op.value };
      case 'cas': {
        const [from, to] = op.value as [unknown, unknown];
        if ((this.data.get(key) ?? null) !== from) return { type: 'fail', error: 'cas mismatch' };
        this.data.set(key, to);
        return { type: 'ok', value: op.value };
      }
      default:
        return { type: 'fail', error: `unknown f ${op.f}` };
    }
  }
}

export class MemoryClient implements Client {
  private node: string | undefined;
  constructor(private readonly db: MemoryCluster) {}

  async open(node: string): Promise<void> {
    this.db.opens++;
    this.node = node;
  }

  invoke(op: Op): Promise<Completion> {
    const node = this.node!;
    const db = this.db;
    const fate: Behaviour = db.isolated.has(node) ? 'hang' : (db.opts.behaviour?.(op, node) ?? 'apply');
    if (fate === 'hang') return new Promise(() => {});
    return new Promise((resolve, reject) => {
      const reply = (): void => {
        if (fate === 'throw') reject(new Error('connection reset by peer'));
        else if (fate === 'fail') resolve({ type: 'fail', error: 'refused' });
        else if (fate === 'info') resolve({ type: 'info', error: 'unknown outcome' });
        else resolve(db.apply(op));
      };
      if (db.opts.latencyMs) setTimeout(reply, db.opts.latencyMs);
      else setImmediate(reply);
    });
  }

  async close(): Promise<void> {
    this.db.closes++;
  }
}

/** Isolates nodes (requests to them hang) on start-partition; heals on stop. */
export class MemoryNemesis implements Nemesis {
  readonly name = 'memory-partition';
  constructor(private readonly db: MemoryCluster) {}

  async invoke(fault: Op): Promise<Completion> {
    this.db.calls.push(fault.f);
    if (fault.f === 'start-partition') {
      const nodes = (fault.value as { nodes?: string[] } | null)?.nodes ?? [this.db.nodes[0]];
      for (const n of nodes) this.db.isolated.add(n);
      return { type: 'ok', value: { fault: 'partition', nodes, description: `${nodes.join(' ')} isolated` } };
    }
    if (fault.f === 'stop-partition') {
      const nodes = [...this.db.isolated];
      this.db.isolated.clear();
      return { type: 'ok', value: { fault: 'partition', nodes } };
    }
    return { type: 'fail', error: `unknown fault ${fault.f}` };
  }

  async healAll(): Promise<void> {
    this.db.calls.push('healAll');
    this.db.isolated.clear();
  }
}

/** A register workload: reads, unique writes and cas; final read on every worker. */
export function registerWorkload(
  db: MemoryCluster,
  checkers: Checker[] = [checkerFromSpec({ name: 'history' }), checkerFromSpec({ name: 'linearizability', config: { model: 'cas-register' } })],
): Workload {
  return {
    name: 'register',
    generator(): Generator {
      let next = 0;
      return mix([
        repeat({ f: 'read' }),
        fn(() => ({ f: 'write', value: next++ })),
        repeat((ctx) => ({ f: 'cas', value: [ctx.random.int(5), ctx.random.int(5)] })),
      ]);
    },
    finalGenerator: () => eachWorker(() => once({ f: 'read' })),
    client: () => new MemoryClient(db),
    checkers,
  };
}

/** Isolate a random node every `period` s, heal after another `period` s. */
export function partitionPlan(db: MemoryCluster, period = 1): NemesisPlan {
  return {
    nemesis: new MemoryNemesis(db),
    generator: () =>
      cycle(() =>
        concat(
          sleep(seconds(period)),
          once((ctx) => ({ f: 'start-partition', value: { nodes: [ctx.random.pick(db.nodes)] } })),
          sleep(seconds(period)),
          once({ f: 'stop-partition' }),
        ),
      ),
  };
}

export function memoryTest(db: MemoryCluster, over: Partial<TestDefinition> = {}): TestDefinition {
  return {
    name: 'memory-register',
    nodes: db.nodes,
    db,
    workload: registerWorkload(db),
    timeLimit: 1,
    concurrency: 5,
    // Unlimited, the memory DB does 100k+ ops/s: more history than tests need.
    rate: 5000,
    seed: 1,
    ...over,
  };
}

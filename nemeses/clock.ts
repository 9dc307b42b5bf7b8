// Clock faults: bump, strobe and skew a node's clock through its libfaketime
// control file (clusters/faketime.ts). Refused for DBs that do not run under
// libfaketime (etcd: Go reads the clock without libc).
import type { DockerClusterInfo } from '../clusters/index.ts';
import { NODE_DIR } from '../clusters/index.ts';
import { clockControl, processElapsedS, setNodeClock, skewOffsetMs } from '../clusters/index.ts';
import { Random } from '../generator/index.ts';
import type { Completion } from '../history/index.ts';
import { UserError } from '../history/index.ts';
import type { DB } from '../clusters/index.ts';
import { sh, sortNodes, type Fault, type FaultSpec } from './fault.ts';
import { someNodes } from './targets.ts';
import { judgeClocks, type ClockIntent } from './clock-evidence.ts';
import { withEffect } from './effect.ts';

export const CLOCK_MODES = ['bump', 'strobe', 'skew'] as const;
export type ClockMode = (typeof CLOCK_MODES)[number];

/** Clock faults need a DB that runs under libfaketime; say so before anything starts. */
export function assertClockSupported(db: Pick<DB, 'name' | 'supportsClockFaults'>): void {
  if (!db.supportsClockFaults) {
    throw new UserError(
      `clock faults unsupported for ${db.name}: it does not run under libfaketime (Go binaries read the clock without libc)`,
      'Drop clock from --nemesis, or use a DB whose start() passes faketimeEnv() (clusters/faketime.ts; a system definition says node.clock: "libfaketime").',
    );
  }
}

export class ClockFault implements Fault {
  readonly kind = 'clock';
  private hit = new Set<string>();
  private strobe: NodeJS.Timeout | undefined;

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    const nodes = sortNodes(someNodes(info.nodes, new Random(spec.seed)));
    for (const n of nodes) this.hit.add(n);
    const set = (ns: readonly string[], content: string) => Promise.all(ns.map((n) => setNodeClock(info.cluster, n, content)));
    const delta = spec.deltaMs ?? 0;
    let description: string;
    let intent: ClockIntent;
    switch (spec.variant as ClockMode) {
      case 'bump':
        await set(nodes, clockControl(delta));
        description = `clock bumped ${signed(delta)} ms on ${nodes.join(' ')}`;
        intent = { mode: 'bump', deltaMs: delta };
        break;
      case 'strobe': {
        const period = spec.periodMs ?? 50;
        intent = { mode: 'strobe', deltaMs: delta, periodMs: period };
        let on = false;
        // A write over SSH can outlast a period: a flip still in flight makes the next one wait for the period after.
        let writing: Promise<unknown> | undefined;
        const flip = (): void => {
          if (writing) return;
          on = !on;
          writing = set(nodes, clockControl(on ? delta : 0)).catch(() => undefined).finally(() => (writing = undefined));
        };
        flip();
        await writing;
        this.stopStrobe();
        this.strobe = setInterval(flip, period);
        this.strobe.unref();
        description = `clock strobes between +0 and ${signed(delta)} ms every ${period} ms on ${nodes.join(' ')}`;
        break;
      }
      case 'skew': {
        const rate = spec.rate ?? 1;
        await Promise.all(nodes.map(async (n) => setNodeClock(info.cluster, n, clockControl(skewOffsetMs(await elapsed(info, n), rate), rate))));
        description = `clock runs at ${rate}x on ${nodes.join(' ')}`;
        intent = { mode: 'skew', rate };
        break;
      }
      default:
        throw new Error(`unknown clock mode ${spec.variant}`);
    }
    // The node's own clock, read back: it moved by about the intended offset.
    const seen = await judgeClocks(info, nodes, intent);
    return withEffect({ fault: 'clock', nodes, description, variant: spec.variant, deltaMs: spec.deltaMs, rate: spec.rate }, seen.effect, seen.evidence);
  }

  async stop(info: DockerClusterInfo): Promise<Completion> {
    const nodes = sortNodes(this.hit);
    await this.heal(info);
    const seen = await judgeClocks(info, nodes, { mode: 'reset' });
    return withEffect({ fault: 'clock', nodes, description: `clock reset on ${nodes.join(' ') || 'no node'}` }, seen.effect, seen.evidence);
  }

  /** Every node back to the real time (on Docker host-side writes, no exec). */
  async heal(info: DockerClusterInfo): Promise<void> {
    this.forget();
    await Promise.all(info.cluster.nodes.map((n) => setNodeClock(info.cluster, n.name, clockControl(0))));
  }

  forget(): void {
    this.stopStrobe();
    this.hit.clear();
  }

  private stopStrobe(): void {
    if (this.strobe) clearInterval(this.strobe);
    this.strobe = undefined;
  }
}

/** How long the DB process in `node` has run, seconds (one exec). */
export async function elapsed(info: DockerClusterInfo, node: string): Promise<number> {
  const pidFile = `${NODE_DIR}/${info.db.name}.pid`;
  const out = await sh(info, node, `cat /proc/$(cat ${pidFile})/stat; cat /proc/uptime`);
  const [stat, uptime] = out.trim().split('\n');
  return processElapsedS(stat, uptime ?? '');
}

const signed = (ms: number): string => (ms < 0 ? String(ms) : `+${ms}`);

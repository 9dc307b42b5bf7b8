// kill -9 / restart and SIGSTOP / SIGCONT of the DB process, never of the
// container: PID 1 stays up, so the node keeps its network namespace, its
// iptables rules and its data (a restart is db.start(..., { fresh: false })).
import type { DockerClusterInfo } from '../clusters/index.ts';
import { NODE_DIR } from '../clusters/index.ts';
import type { Completion } from '../history/index.ts';
import { ok, sh, sortNodes, targetNodes, type Fault, type FaultSpec } from './fault.ts';

/**
 * The in-node part of healing both process faults, one shell: SIGCONT the DB
 * (a stopped process resumes, a running one ignores it) and print whether it
 * is alive, so the caller restarts it (data kept) where it is not.
 */
export function resumeScript(dbName: string): string {
  return `if kill -CONT "$(cat ${NODE_DIR}/${dbName}.pid 2>/dev/null)" 2>/dev/null; then echo running; else echo gone; fi`;
}

/** kill -9 the DB and wait (up to 10 s) until the process is gone, in one shell: a restart must not race the dying process. */
export function killScript(dbName: string): string {
  return [
    `pid="$(cat ${NODE_DIR}/${dbName}.pid 2>/dev/null)"`,
    '[ -n "$pid" ] || exit 0',
    'kill -KILL "$pid" 2>/dev/null',
    'i=0; while kill -0 "$pid" 2>/dev/null; do [ $i -lt 200 ] || { echo "still running 10 s after kill -9" >&2; exit 1; }; sleep 0.05; i=$((i+1)); done',
  ].join('\n');
}

export class KillFault implements Fault {
  readonly kind = 'kill';
  private killed = new Set<string>();

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    const nodes = await targetNodes(spec, info);
    if (!nodes) return { type: 'fail', error: 'no leader to kill' };
    // Recorded before the signal: a restart must follow even if the wait below fails.
    for (const n of nodes) this.killed.add(n);
    await Promise.all(nodes.map((n) => sh(info, n, killScript(info.db.name))));
    return ok({ fault: 'kill', nodes, description: `kill -9 ${info.db.name} on ${nodes.join(' ')} (${spec.variant})`, variant: spec.variant });
  }

  async stop(info: DockerClusterInfo): Promise<Completion> {
    const nodes = sortNodes(this.killed);
    await Promise.all(nodes.map((n) => info.db.start(info.docker, n, { fresh: false })));
    this.killed.clear();
    return ok({ fault: 'kill', nodes, description: `restarted ${info.db.name} on ${nodes.join(' ') || 'no node'} (data kept)` });
  }

  forget(): void {
    this.killed.clear();
  }
}

export class PauseFault implements Fault {
  readonly kind = 'pause';
  private paused = new Set<string>();

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    const nodes = await targetNodes(spec, info);
    if (!nodes) return { type: 'fail', error: 'no leader to pause' };
    for (const n of nodes) this.paused.add(n);
    await Promise.all(nodes.map((n) => info.docker.signal(n, info.db.name, 'STOP')));
    return ok({ fault: 'pause', nodes, description: `SIGSTOP ${info.db.name} on ${nodes.join(' ')} (${spec.variant})`, variant: spec.variant });
  }

  async stop(info: DockerClusterInfo): Promise<Completion> {
    const nodes = sortNodes(this.paused);
    await Promise.all(nodes.map((n) => info.docker.signal(n, info.db.name, 'CONT')));
    this.paused.clear();
    return ok({ fault: 'pause', nodes, description: `SIGCONT ${info.db.name} on ${nodes.join(' ') || 'no node'}` });
  }

  forget(): void {
    this.paused.clear();
  }
}

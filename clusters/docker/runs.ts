// The runs that have objects in the engine, found by label, and whether the
// process that made them is still alive (a dead owner means a leftover).
import { hostname } from 'node:os';
import { docker, RUN_LABEL } from './engine.ts';

export interface RunObjects {
  runId: string;
  mode: string; // 'manual' for `cluster up`, 'test' for test runs
  db?: string;
  owner?: string;
  ownerAlive: boolean;
  containers: string[];
  networks: string[];
}

function pidAlive(owner: string | undefined): boolean {
  if (!owner) return false;
  const [host, pid] = owner.split(':');
  if (host !== hostname()) return true; // cannot tell for another host: assume alive
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function listRuns(): Promise<RunObjects[]> {
  const runs = new Map<string, RunObjects>();
  const get = (labels: Record<string, string>) => {
    const runId = labels[RUN_LABEL];
    let r = runs.get(runId);
    if (!r) {
      r = {
        runId,
        mode: labels['faultline.mode'] ?? 'test',
        db: labels['faultline.db'],
        owner: labels['faultline.owner'],
        ownerAlive: pidAlive(labels['faultline.owner']),
        containers: [],
        networks: [],
      };
      runs.set(runId, r);
    }
    return r;
  };
  for (const c of await docker().listContainers({ all: true, filters: { label: [RUN_LABEL] } })) {
    get(c.Labels).containers.push(c.Names[0]?.replace(/^\//, '') ?? c.Id);
  }
  for (const n of await docker().listNetworks({ filters: { label: [RUN_LABEL] } })) {
    get(n.Labels ?? {}).networks.push(n.Name);
  }
  return [...runs.values()].sort((a, b) => a.runId.localeCompare(b.runId));
}

// A cluster that also leaves a file in the run folder when it is set up: a
// defined system keeps its definition there (system.json), so a run folder
// says exactly what was tested.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, ClusterInfo } from '../../clusters/index.ts';

export function withRunFile<I extends ClusterInfo>(cluster: Cluster<I>, name: string, text: string): Cluster<I> {
  return {
    name: cluster.name,
    ...(cluster.version ? { version: () => cluster.version!() } : {}),
    setup(runDir) {
      if (runDir !== undefined) writeFileSync(join(runDir, name), text);
      return cluster.setup(runDir);
    },
    waitHealthy: (info, timeoutMs) => cluster.waitHealthy(info, timeoutMs),
    collectLogs: (info, dir) => cluster.collectLogs(info, dir),
    ...(cluster.coverage ? { coverage: (info: I, dir: string) => cluster.coverage!(info, dir) } : {}),
    ...(cluster.raftTrace ? { raftTrace: (info: I, dir: string) => cluster.raftTrace!(info, dir) } : {}),
    teardown: () => cluster.teardown(),
  };
}

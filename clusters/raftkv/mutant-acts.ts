// How often each planted bug of the mutation suite acted in a finished run:
// the `mutant-acted` lines of every node's raftkv.log in the run folder
// (raftkv/mutants.ts MutantAct). For the benches that measure faultline on
// the suite; explore never reads them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MutantName } from '../../raftkv/index.ts';
import { mutantActsOfLogs } from './coverage.ts';

export function mutantActsInRun(runDir: string): Map<MutantName, number> {
  const nodes = join(runDir, 'nodes');
  const logs = new Map<string, string>();
  if (runDir && existsSync(nodes)) {
    for (const node of readdirSync(nodes)) {
      const file = join(nodes, node, 'raftkv.log');
      if (existsSync(file)) logs.set(node, readFileSync(file, 'utf8'));
    }
  }
  return mutantActsOfLogs(logs);
}

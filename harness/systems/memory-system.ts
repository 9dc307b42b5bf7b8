// `faultline test --db memory`: a dry run of the controller without Docker,
// on the in-memory register (memory.ts). It knows one workload and one toy
// fault (isolating a node makes its requests hang).
import { UserError } from '../../history/index.ts';
import { MemoryCluster, memoryTest, partitionPlan } from './memory.ts';
import type { System } from './system.ts';

const MEMORY_NEMESES = ['none', 'partition'] as const;

export const memorySystem: System = {
  name: 'memory',
  describe: 'an in-memory register: a dry run of the controller, no Docker',
  workloads: ['register'],
  notOnHosts: 'its register lives in this process: there are no nodes to place on machines',
  test(args, nodes, seed) {
    if (args.workload !== 'register') throw new UserError(`unknown --workload ${JSON.stringify(args.workload)} for --db memory; known: register`);
    if (!(MEMORY_NEMESES as readonly string[]).includes(args.nemesis)) {
      throw new UserError(`unknown --nemesis ${JSON.stringify(args.nemesis)} for --db memory; known: ${MEMORY_NEMESES.join(', ')}`);
    }
    const db = new MemoryCluster({ nodes });
    return memoryTest(db, {
      name: `memory-${args.workload}-${args.nemesis}`,
      nodes,
      concurrency: args.concurrency ?? nodes.length,
      rate: args.rate,
      timeLimit: args.timeLimit,
      seed,
      ...(args.nemesis === 'partition' ? { nemesis: partitionPlan(db, Math.max(0.5, args.timeLimit / 10)) } : {}),
      options: { db: args.db, workload: args.workload, nemesis: args.nemesis, nodes: args.nodes, opTimeout: args.opTimeout },
    });
  },
};

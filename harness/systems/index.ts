// Every system faultline can test, by --db name: the one table behind
// `faultline test`, `faultline cluster up`, the recipes and validate
// (system -> the workloads it has a client for -> the client; like
// Maelstrom's single map). Add a system by adding a row.
import { UserError } from '../../history/index.ts';
import type { TestDefinition } from '../test-definition.ts';
import { etcdSystem } from './etcd.ts';
import { memorySystem } from './memory-system.ts';
import { raftkvSystem } from './raftkv.ts';
import type { CommonArgs, System } from './system.ts';

export type { CommonArgs, OwnOption, System, SystemArgs } from './system.ts';

export const SYSTEMS = {
  etcd: etcdSystem as unknown as System,
  raftkv: raftkvSystem as unknown as System,
  memory: memorySystem,
} as const satisfies Record<string, System>;

export type SystemName = keyof typeof SYSTEMS;
export const SYSTEM_NAMES = Object.keys(SYSTEMS) as SystemName[];
/** Systems that run on Docker nodes (`faultline cluster up`). */
export const DOCKER_SYSTEM_NAMES = SYSTEM_NAMES.filter((n) => SYSTEMS[n].db !== undefined);

export function systemByName(name: string): System {
  if (!Object.hasOwn(SYSTEMS, name)) throw new UserError(`unknown --db ${JSON.stringify(name)}; known: ${SYSTEM_NAMES.join(', ')}`);
  return SYSTEMS[name as SystemName];
}

/** "5" -> n1..n5; "a,b,c" -> those names. */
export function parseNodes(spec: string): string[] {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    if (n < 1) throw new UserError('--nodes must be at least 1');
    return Array.from({ length: n }, (_, i) => `n${i + 1}`);
  }
  const names = spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UserError(`--nodes: no node names in ${JSON.stringify(spec)}`);
  return names;
}

/** The options `faultline test` hands over: the system's own plus the choice of system and nodes. */
export interface TestOptions extends CommonArgs {
  db: string;
  nodes: string;
  nemesis?: string;
}

/** The test a set of `faultline test` options describes. */
export function buildTest(given: TestOptions, seed: number): TestDefinition {
  const system = systemByName(given.db);
  // A fault-injection tool injects faults unless told not to; the memory db knows only its toy partition.
  const args = { ...given, nemesis: given.nemesis ?? (system === SYSTEMS.memory ? 'none' : 'partition,kill') };
  const nodes = parseNodes(args.nodes);
  for (const other of Object.values(SYSTEMS) as System[]) {
    if (other === system) continue;
    for (const own of other.ownOptions ?? []) {
      const value = given[own.key];
      if (value !== undefined && !(Array.isArray(value) && value.length === 0)) throw new UserError(own.refusal(system.name));
    }
  }
  return system.test(args, nodes, seed);
}

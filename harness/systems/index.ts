// Every system faultline can test, by --db name: the one table behind
// `faultline test`, `faultline cluster up`, the recipes and validate
// (system -> the workloads it has a client for -> the client; like
// Maelstrom's single map). Add a system by adding a row.
import { UserError } from '../../history/index.ts';
import { hosts as hostsApi } from '../../clusters/index.ts';
import type { TestDefinition } from '../test-definition.ts';
import { etcdSystem } from './etcd.ts';
import { memorySystem } from './memory-system.ts';
import { raftkvSystem } from './raftkv.ts';
import { zookeeperSystem } from './zookeeper.ts';
import type { CommonArgs, System } from './system.ts';
import { systemFromFile } from './defined.ts';

export type { CommonArgs, ExploreKnob, OwnOption, System, SystemArgs } from './system.ts';
export { definedSystem, definedClients, systemFromFile, SYSTEM_FILE } from './defined.ts';

export const SYSTEMS = {
  etcd: etcdSystem as unknown as System,
  raftkv: raftkvSystem as unknown as System,
  memory: memorySystem,
  zookeeper: zookeeperSystem,
} as const satisfies Record<string, System>;

export type SystemName = keyof typeof SYSTEMS;
export const SYSTEM_NAMES = Object.keys(SYSTEMS) as SystemName[];
/** Systems that run on Docker nodes (`faultline cluster up`). */
export const DOCKER_SYSTEM_NAMES = SYSTEM_NAMES.filter((n) => SYSTEMS[n].db !== undefined);

export function systemByName(name: string): System {
  if (!Object.hasOwn(SYSTEMS, name)) throw new UserError(`unknown --db ${JSON.stringify(name)}; known: ${SYSTEM_NAMES.join(', ')}`);
  return SYSTEMS[name as SystemName];
}

/** Most nodes a run may ask for (each is a container with its own address on a /24). */
export const MAX_NODES = 64;

/** "5" -> n1..n5; "a,b,c" -> those names (each a letter then letters, digits, - or _; no repeats). */
export function parseNodes(spec: string): string[] {
  const text = String(spec).trim();
  if (/^[\d.eE+-]+$/.test(text)) {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > MAX_NODES) throw new UserError(`--nodes must be a whole number from 1 to ${MAX_NODES}, or node names; got ${JSON.stringify(text)}`);
    return Array.from({ length: n }, (_, i) => `n${i + 1}`);
  }
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UserError(`--nodes: no node names in ${JSON.stringify(spec)}`);
  const bad = names.find((n) => !/^[A-Za-z][A-Za-z0-9_-]{0,30}$/.test(n));
  if (bad !== undefined) throw new UserError(`--nodes: ${JSON.stringify(bad)} is not a node name (a letter, then letters, digits, - or _)`);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new UserError(`--nodes: ${twice} is named twice`);
  if (names.length > MAX_NODES) throw new UserError(`--nodes: at most ${MAX_NODES} nodes`);
  return names;
}

/** The numeric options every system reads, checked once: a bad one is a user error, never a silent default. */
function checkCommonOptions(args: TestOptions): void {
  const positive = (name: string, v: unknown) => {
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new UserError(`--${name} must be a positive number, got ${String(v)}`);
  };
  positive('time-limit', args.timeLimit);
  positive('op-timeout', args.opTimeout);
  positive('rate', args.rate);
  if (args.concurrency !== undefined && !(Number.isInteger(args.concurrency) && args.concurrency >= 1)) {
    throw new UserError(`--concurrency must be a whole number of workers, at least 1, got ${String(args.concurrency)}`);
  }
}

/** The options `faultline test` hands over: the system's own plus the choice of system and nodes. */
export interface TestOptions extends CommonArgs {
  /** A system of the table by name; default etcd. */
  db?: string;
  /** A system definition file instead (clusters/defined); excludes db. */
  system?: string;
  /** Node count or names; default 5, or the hosts' names with --hosts. */
  nodes?: string;
  nemesis?: string;
  /** A hosts file (clusters/hosts): the nodes run on those machines over SSH. */
  hosts?: string;
}

/** The system `--db NAME` or `--system FILE` names (neither: etcd). */
export function chosenSystem(given: { db?: string; system?: string }): System {
  if (given.system !== undefined && given.db !== undefined) {
    throw new UserError(`--system and --db are mutually exclusive: --system ${given.system} is the system under test, so leave out --db ${given.db}`);
  }
  return given.system !== undefined ? systemFromFile(given.system) : systemByName(given.db ?? DEFAULT_SYSTEM);
}

/** The system `faultline test` tests when told nothing. */
export const DEFAULT_SYSTEM: SystemName = 'etcd';

/** The test a set of `faultline test` options describes. */
export function buildTest(given: TestOptions, seed: number): TestDefinition {
  const system = chosenSystem(given);
  checkCommonOptions(given);
  // A fault-injection tool injects faults unless told not to; the memory db knows only its toy partition.
  const args = { ...given, nemesis: given.nemesis ?? (system === SYSTEMS.memory ? 'none' : 'partition,kill') };
  const hostEntries = given.hosts === undefined ? undefined : onHosts(system, given.hosts, given.nodes);
  const nodes = hostEntries ? hostEntries.map((h) => h.name) : parseNodes(args.nodes ?? '5');
  for (const other of Object.values(SYSTEMS) as System[]) {
    if (other === system) continue;
    for (const own of other.ownOptions ?? []) {
      const value = given[own.key];
      if (value !== undefined && !(Array.isArray(value) && value.length === 0)) throw new UserError(own.refusal(system.name));
    }
  }
  return system.test(hostEntries ? { ...args, hostEntries } : args, nodes, seed);
}

/** The hosts of `file`, once the system runs on hosts and --nodes (if given) names the same nodes. */
function onHosts(system: System, file: string, nodesOption: string | undefined): hostsApi.HostEntry[] {
  if (system.notOnHosts !== undefined) {
    throw new UserError(`--hosts is unsupported for ${system.name}: ${system.notOnHosts}`, 'Leave out --hosts to run the nodes in containers.');
  }
  const { hosts } = hostsApi.readHostsFile(file);
  if (nodesOption !== undefined) {
    const names = parseNodes(nodesOption);
    const same = names.length === hosts.length && names.every((n, i) => n === hosts[i].name);
    if (!same) throw new UserError(`--nodes ${nodesOption} does not match the ${hosts.length} hosts of ${file} (${hosts.map((h) => h.name).join(' ')}): with --hosts, one node runs on each host`, 'Leave out --nodes.');
  }
  return hosts;
}

// `faultline test --system FILE`: a system described by a definition file
// (clusters/defined) instead of TypeScript. It runs exactly like a --db
// system: the same nemeses, checkers, store and report; its clients are the
// ones of its client protocol, its divergence check reads the definition's
// stateHash probe (none: the zookeeper protocol reads the members' trees
// itself; any other has no divergence check, and test.json says so).
import { definedDb, definedImageTag, loadDefinition, type DockerClusterInfo, type LoadedDefinition, type SystemDefinition } from '../../clusters/index.ts';
import { UserError } from '../../history/index.ts';
import { workloadFor, type ClientTable, type ReadMode, type StateSource } from '../../workloads/index.ts';
import { httpKvClients } from '../../workloads/http-kv/index.ts';
import { maelstromClients } from '../../workloads/maelstrom/index.ts';
import { zookeeperAddresses, zookeeperClients, zookeeperStateSource } from '../../workloads/zookeeper/index.ts';
import { definedStateSource } from './defined-state.ts';
import { dockerTest, type DockerTestArgs } from './docker.ts';
import { etcdClients } from './etcd.ts';
import type { System } from './system.ts';
import { withRunFile } from './with-run-file.ts';

/** The run folder's copy of the definition. */
export const SYSTEM_FILE = 'system.json';

/** The clients of a definition's protocol, for the workloads it lists. */
export function definedClients(def: SystemDefinition, o: { timeoutMs: number; readMode?: ReadMode }): ClientTable<DockerClusterInfo> {
  const all: ClientTable<DockerClusterInfo> =
    def.client.protocol === 'maelstrom'
      ? maelstromClients({ timeoutMs: o.timeoutMs, protocol: def.client })
      : def.client.protocol === 'http-kv'
        ? httpKvClients({ timeoutMs: o.timeoutMs, protocol: def.client })
        : def.client.protocol === 'zookeeper'
          ? zookeeperClients({ timeoutMs: o.timeoutMs, readMode: o.readMode ?? 'linearizable', sessionTimeoutMs: def.client.sessionTimeoutMs, prefix: def.client.prefix })
          : etcdClients({ timeoutMs: o.timeoutMs, readMode: o.readMode ?? 'linearizable' });
  return Object.fromEntries(Object.entries(all).filter(([w]) => (def.workloads as readonly string[]).includes(w)));
}

/**
 * How the divergence check reads a node's state: the definition's stateHash
 * probe, or, for a protocol that can read a member's whole state itself
 * (zookeeper: its znode tree, through a session to that member), the protocol.
 */
function stateSourceOf(def: SystemDefinition): ((info: DockerClusterInfo) => StateSource) | undefined {
  const probe = def.stateHash;
  if (probe) return (info) => definedStateSource(def, probe, info);
  const client = def.client;
  // Trees are compared once every member has synced and nothing moves (tree-rounds.ts); trees that still differ
  // are a verdict only with a lost transaction as proof (lost-transactions.ts), else no verdict.
  if (client.protocol === 'zookeeper') return (info) => zookeeperStateSource({ addresses: zookeeperAddresses(info.urls), sessionTimeoutMs: client.sessionTimeoutMs });
  return undefined;
}

export function definedSystem(loaded: LoadedDefinition): System<DockerTestArgs & { readMode?: ReadMode }, DockerClusterInfo> {
  const { def, file } = loaded;
  return {
    name: def.name,
    describe: def.describe ?? `defined by ${file}`,
    workloads: def.workloads,
    // A host gets the files the image is built of; a ready image (image.tag) has none faultline could send.
    ...('tag' in def.image
      ? { notOnHosts: `${file} names the local Docker image ${def.image.tag} (image.tag), and a machine reached over SSH cannot run an image; list the node's files under image.files and image.dirs instead` }
      : {}),
    db: () => definedDb(loaded),
    test(args, nodes, seed) {
      if (!(def.workloads as readonly string[]).includes(args.workload)) {
        throw new UserError(`--workload ${args.workload}: ${file} lists the workloads ${def.workloads.join(', ')}`, 'Add it to `workloads` in the definition if its client protocol serves it.');
      }
      const stateSource = stateSourceOf(def);
      const test = dockerTest({ ...args, image: args.image ?? definedImageTag(loaded) }, nodes, seed, {
        db: definedDb(loaded),
        namePrefix: def.name,
        workload: workloadFor(def.name, definedClients(def, { timeoutMs: args.opTimeout, readMode: args.readMode }), args.workload),
        ...(stateSource ? { stateSource } : {}),
        options: { system: file, definition: def, ...(args.readMode && def.client.protocol !== 'http-kv' && def.client.protocol !== 'maelstrom' ? { readMode: args.readMode } : {}) },
      });
      // definedDb reads no Raft trace, so the cluster has none and the run no raft-protocol check.
      return { ...test, db: withRunFile(test.db, SYSTEM_FILE, `${JSON.stringify(loaded.input, null, 2)}\n`) };
    },
  };
}

/** The system a definition file describes. */
export function systemFromFile(path: string): System {
  return definedSystem(loadDefinition(path)) as unknown as System;
}

// Which faultline workloads a client protocol can serve. The loader refuses a
// definition that asks for more; the system (harness/systems/defined.ts)
// builds clients for exactly these.
import { DEFINED_WORKLOADS, type ClientProtocol } from './schema.ts';

export type DefinedWorkload = (typeof DEFINED_WORKLOADS)[number];

/** Maelstrom's workload names and faultline's. */
export const MAELSTROM_WORKLOADS = { 'lin-kv': 'register', 'txn-list-append': 'append' } as const satisfies Record<string, DefinedWorkload>;

/** The workloads a client protocol serves, with why others are missing. */
export function servedWorkloads(client: ClientProtocol): { workloads: readonly DefinedWorkload[]; why: string } {
  switch (client.protocol) {
    case 'maelstrom':
      return {
        workloads: client.serves.map((s) => MAELSTROM_WORKLOADS[s]),
        why: `client.serves lists ${client.serves.join(', ')} (lin-kv serves register, txn-list-append serves append)`,
      };
    case 'http-kv':
      return client.cas
        ? { workloads: ['register'], why: 'http-kv serves register only' }
        : { workloads: [], why: 'http-kv serves register, which needs client.cas (compare-and-set) besides read and write' };
    case 'zookeeper':
      // workloads/zookeeper: znodes for registers and the set, a versioned counter znode, the ephemeral-sequential lock.
      return { workloads: ['register', 'set', 'counter', 'lock'], why: 'zookeeper serves register, set, counter and lock' };
    case 'etcd-v3':
      // etcd's own client serves them all (harness/systems/etcd.ts; test/defined checks the two lists agree).
      return { workloads: DEFINED_WORKLOADS, why: 'etcd-v3 serves every workload' };
  }
}

// Clients for nodes that speak Maelstrom's protocol (through faultline's
// shim: clusters/defined/maelstrom): lin-kv serves the register workload,
// txn-list-append the append workload.
import type { DockerClusterInfo } from '../../clusters/index.ts';
import type { ClientTable } from '../registry.ts';
import { MaelstromRegisterClient } from './register-client.ts';
import { MaelstromTxnClient } from './txn-client.ts';

export { MaelstromRegisterClient, linKvRequest } from './register-client.ts';
export { MaelstromTxnClient, txnRequest, txnResult } from './txn-client.ts';
export { replyOrCompletion, notDelivered, type ShimAnswer } from './outcome.ts';
export type { MaelstromClientOptions } from './client-base.ts';

/** The workloads a Maelstrom node serves, each with its client; `serves` names Maelstrom's workloads. */
export function maelstromClients(o: { timeoutMs: number; protocol: { serves: readonly string[] } }): ClientTable<DockerClusterInfo> {
  const clients: ClientTable<DockerClusterInfo> = {};
  if (o.protocol.serves.includes('lin-kv')) clients.register = (info) => new MaelstromRegisterClient({ urls: info.urls, timeoutMs: o.timeoutMs });
  if (o.protocol.serves.includes('txn-list-append')) clients.append = (info) => new MaelstromTxnClient({ urls: info.urls, timeoutMs: o.timeoutMs });
  return clients;
}

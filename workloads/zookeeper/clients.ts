// ZooKeeper's client per workload, for the system table (harness/systems):
// addresses come from the cluster's client URLs (http://ip:port -> ip:port).
import type { DockerClusterInfo } from '../../clusters/index.ts';
import type { ClientTable } from '../registry.ts';
import type { ZookeeperClientOptions } from './client-base.ts';
import { ZookeeperCounterClient } from './counter-client.ts';
import { ZookeeperLockClient } from './lock-client.ts';
import { ZookeeperRegisterClient } from './register-client.ts';
import { ZookeeperSetClient } from './set-client.ts';

/** host:port of each node's client port, from the cluster's client URLs. */
export function zookeeperAddresses(urls: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(urls).map(([n, u]) => [n, new URL(u).host]));
}

export function zookeeperClients(o: Omit<ZookeeperClientOptions, 'addresses'>): ClientTable<DockerClusterInfo> {
  const opts = (info: DockerClusterInfo): ZookeeperClientOptions => ({ ...o, addresses: zookeeperAddresses(info.urls) });
  return {
    register: (info) => new ZookeeperRegisterClient(opts(info)),
    set: (info) => new ZookeeperSetClient(opts(info)),
    counter: (info) => new ZookeeperCounterClient(opts(info)),
    lock: (info, lock) => new ZookeeperLockClient(opts(info), lock),
  };
}

// `faultline test --db etcd`: real etcd in containers, and its client for
// each workload it supports (over the v3 HTTP/JSON gateway).
import type { DockerClusterInfo } from '../../clusters/index.ts';
import { etcdDb, DEFAULT_ETCD_BINARY, findFailpointBuild, type EtcdOptions } from '../../clusters/index.ts';
import { parseNemesisOption, resolveNemeses } from '../../nemeses/index.ts';
import { UserError } from '../../history/index.ts';
import { workloadFor, type ClientTable } from '../../workloads/index.ts';
import { EtcdRegisterClient } from '../../workloads/register/index.ts';
import { EtcdSetClient } from '../../workloads/set/index.ts';
import { EtcdBankClient } from '../../workloads/bank/index.ts';
import { EtcdCounterClient } from '../../workloads/counter/index.ts';
import { EtcdTxnClient } from '../../workloads/append/index.ts';
import { EtcdLockClient } from '../../workloads/lock/index.ts';
import { EtcdWatchClient } from '../../workloads/watch/index.ts';
import { etcdStateSource } from '../../workloads/divergence/index.ts';
import type { EtcdClientOptions, ReadMode } from '../../workloads/index.ts';
import { dockerTest, type DockerTestArgs } from './docker.ts';
import type { System } from './system.ts';

export interface EtcdTestArgs extends DockerTestArgs {
  readMode: ReadMode;
  etcdBinary?: string;
}

/** etcd's client per workload; `o` is what every request shares (timeout, read mode). */
export function etcdClients(o: Omit<EtcdClientOptions, 'urls'>): ClientTable<DockerClusterInfo> {
  return {
    register: (info) => new EtcdRegisterClient({ ...o, urls: info.urls }),
    set: (info) => new EtcdSetClient({ ...o, urls: info.urls }),
    bank: (info, bank) => new EtcdBankClient({ ...o, urls: info.urls, ...bank, maxAttempts: 5 }),
    // Every worker contends for the one counter key: more guarded attempts per add.
    counter: (info) => new EtcdCounterClient({ ...o, urls: info.urls, maxAttempts: 10 }),
    append: (info, keys) => new EtcdTxnClient({ ...o, urls: info.urls, ...keys, maxAttempts: 5 }),
    'wr-register': (info, keys) => new EtcdTxnClient({ ...o, urls: info.urls, ...keys, maxAttempts: 5 }),
    lock: (info, lock) => new EtcdLockClient({ ...o, urls: info.urls, ...lock }),
    watch: (info) => new EtcdWatchClient({ ...o, urls: info.urls }),
  };
}

/**
 * The etcd to run: the failpoint build (faultline setup --etcd-failpoints)
 * when a nemesis that arms failpoints is asked for (failpoint, figure8),
 * unless --etcd-binary names one; otherwise --etcd-binary or Debian's.
 */
export function etcdOptionsFor(args: Partial<Pick<EtcdTestArgs, 'nemesis' | 'etcdBinary'>>, findBuild: () => string | undefined = findFailpointBuild): EtcdOptions {
  const names = args.nemesis ? parseNemesisOption(args.nemesis) : [];
  const arming = [...new Set(resolveNemeses(names).map((c) => c.kind))].filter((k) => k === 'failpoint' || k === 'figure8');
  if (arming.length === 0) return { binary: args.etcdBinary };
  const binary = args.etcdBinary ?? findBuild();
  if (!binary) {
    throw new UserError(
      `--nemesis ${arming.join(',')} needs etcd built with its failpoints, and that build is missing (or older than the installed source)`,
      'Run `faultline setup --etcd-failpoints` once (about 30 s), or pass --etcd-binary with a gofail build.',
    );
  }
  return { binary, gofail: true };
}

export const etcdSystem: System<EtcdTestArgs, DockerClusterInfo> = {
  name: 'etcd',
  describe: 'real etcd (Debian etcd-server) in containers',
  workloads: Object.keys(etcdClients({ timeoutMs: 0, readMode: 'linearizable' })),
  db: (args) => etcdDb(etcdOptionsFor(args)),
  test(args, nodes, seed) {
    const etcd = etcdOptionsFor(args);
    return dockerTest(args, nodes, seed, {
      db: etcdDb(etcd),
      namePrefix: 'etcd',
      workload: workloadFor('etcd', etcdClients({ timeoutMs: args.opTimeout, readMode: args.readMode }), args.workload),
      // Every member hashes its keyspace at one common revision.
      stateSource: (info) => etcdStateSource(info.urls),
      options: { readMode: args.readMode, etcdBinary: etcd.binary ?? DEFAULT_ETCD_BINARY, ...(etcd.gofail ? { etcdFailpoints: true } : {}) },
    });
  },
};

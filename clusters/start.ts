// Bring a DB up on a fresh Docker cluster, with teardown guaranteed on every
// exit path (return, throw, SIGINT, SIGTERM) through clusters/cleanup.
import { registerCleanup } from './cleanup.ts';
import { withTimeout } from './timeout.ts';
import { UserError } from '../history/index.ts';
import type { DB } from './db.ts';
import { DockerCluster, nodeNames, removeRun } from './docker/cluster.ts';
import { HostCluster } from './hosts/host-cluster.ts';
import type { HostEntry } from './hosts/hosts-file.ts';
import type { NodeCluster } from './node-cluster.ts';
import { diskMountTarget, mountNodeDisks, unmountRunDisks, type NodeDisks } from '../disk/index.ts';
import { buildImage } from './docker/image.ts';

export interface StartClusterOptions {
  db: DB;
  nodeCount: number;
  runId: string;
  runDir: string;
  /** Use this image instead of building one (a user with a registry); never pulled implicitly. */
  image?: string;
  labels?: Record<string, string>;
  healthyTimeoutMs?: number;
  log?: (line: string) => void;
  /** Keep the containers when this process exits normally (`cluster up`). */
  keepOnExit?: boolean;
  /**
   * Install SIGINT/SIGTERM teardown (clusters/cleanup.ts). Off when a caller
   * owns signals itself, like the run loop, which heals and then tears down.
   */
  guardSignals?: boolean;
  /**
   * Mount a lose-unsynced filesystem (disk/) on the parent of each node's
   * data directory, for --nemesis lose-unsynced; unmounted at teardown.
   */
  lazyDisks?: boolean;
  /** Run the nodes on these machines over SSH instead of in containers (one node per host; nodeCount is ignored). */
  hosts?: readonly HostEntry[];
}

export interface RunningCluster<C extends NodeCluster = DockerCluster> {
  cluster: C;
  db: DB;
  image: string;
  /** Remove containers and network; idempotent. */
  teardown(): Promise<void>;
  /** Timings of the phases, for benchmarks and progress. */
  timings: { imageMs: number; imageCached: boolean; containersMs: number; healthyMs: number };
}

export function startCluster(opts: StartClusterOptions & { hosts?: undefined }): Promise<RunningCluster>;
export function startCluster(opts: StartClusterOptions): Promise<RunningCluster<NodeCluster>>;
export function startCluster(opts: StartClusterOptions): Promise<RunningCluster<NodeCluster>> {
  return opts.hosts ? startOnHosts({ ...opts, hosts: opts.hosts }) : startOnDocker(opts);
}

/**
 * Start the DB on every node of a cluster `create` made, with `undo` on every
 * exit path (a failed start, SIGINT/SIGTERM unless the caller owns signals,
 * teardown). `undo` must cope with a creation still in flight.
 */
async function bringUp<C extends NodeCluster>(
  opts: StartClusterOptions,
  what: { create: () => Promise<C>; undo: () => Promise<void>; imageMs: number; imageCached: boolean; image: string },
): Promise<RunningCluster<C>> {
  const unregister = opts.guardSignals === false ? () => {} : registerCleanup(`run ${opts.runId}`, what.undo);
  let tornDown = false;
  const teardown = async () => {
    if (tornDown) return;
    tornDown = true;
    unregister();
    await what.undo();
  };
  let created: C | undefined;
  try {
    const t1 = performance.now();
    const cluster = (created = await what.create());
    const t2 = performance.now();
    await Promise.all(cluster.nodes.map((n) => opts.db.start(cluster, n.name, { fresh: true })));
    await opts.db.waitHealthy(cluster, opts.healthyTimeoutMs ?? 30_000);
    const t3 = performance.now();
    opts.log?.(`${opts.db.name} healthy on ${cluster.nodes.length} nodes`);
    if (opts.keepOnExit) unregister();
    return { cluster, db: opts.db, image: what.image, teardown, timings: { imageMs: what.imageMs, imageCached: what.imageCached, containersMs: t2 - t1, healthyMs: t3 - t2 } };
  } catch (err) {
    // A start that failed names the nodes' logs: where they are copies (hosts), copy them before the nodes go.
    const pulling = Promise.all((created?.nodes ?? []).map((n) => created!.pullNodeFiles(n.name).catch(() => {})));
    await withTimeout(pulling, 30_000, 'copying the node logs').catch(() => {});
    await teardown().catch(() => {});
    throw err;
  }
}

/** The nodes on SSH hosts: each gets the DB's image tree unpacked and chrooted to (clusters/hosts/host-cluster.ts). */
async function startOnHosts(opts: StartClusterOptions & { hosts: readonly HostEntry[] }): Promise<RunningCluster<HostCluster>> {
  if (opts.lazyDisks) throw new UserError('lose-unsynced is unsupported on --hosts: its filesystem is mounted on the controller, not on the hosts');
  if (opts.image) throw new UserError('--image is unsupported on --hosts: the nodes get the DB\'s files unpacked, not a container image');
  let creating: Promise<HostCluster> | undefined;
  const undo = async () => {
    // A creation in flight removes what it unpacked if it fails; once it is done, the cluster tears itself down.
    const cluster = await withTimeout(creating ?? Promise.resolve(undefined), 120_000, 'host set-up').catch(() => undefined);
    await cluster?.teardown();
  };
  return bringUp(opts, {
    create: () => (creating = HostCluster.create({ runId: opts.runId, hosts: opts.hosts, spec: opts.db.image(), runDir: opts.runDir, log: opts.log })),
    undo,
    imageMs: 0,
    imageCached: true,
    image: `${opts.db.name} files on ${opts.hosts.length} hosts`,
  });
}

async function startOnDocker(opts: StartClusterOptions): Promise<RunningCluster> {
  const log = opts.log ?? (() => {});
  // Refuse a DB without a data directory before building anything.
  const diskTarget = opts.lazyDisks ? diskMountTarget(opts.db.dataDir, opts.db.name) : undefined;
  const t0 = performance.now();
  let image = opts.image;
  let imageCached = true;
  if (!image) {
    const built = await buildImage(opts.db.image());
    image = built.tag;
    imageCached = built.cached;
    log(`image ${image} ${built.cached ? 'reused' : 'built'} in ${Math.round(built.ms)} ms`);
  }
  const t1 = performance.now();

  let aborted = false;
  let creation: Promise<unknown> = Promise.resolve();
  let disks: NodeDisks | undefined;
  const undo = async () => {
    aborted = true;
    // Let in-flight engine calls land first, or a container created after the sweep would leak.
    // (withTimeout clears its timer: a bare 20 s timeout here kept every CLI run alive 20 s after teardown.)
    await withTimeout(creation, 20_000, 'container creation').catch(() => {});
    const removed = await removeRun(opts.runId);
    log(`removed ${removed.containers.length} containers, ${removed.networks.length} networks of run ${opts.runId}`);
    // After the containers are gone, so nothing holds the mounts; then whatever a half-done mount left.
    if (diskTarget) {
      await disks?.unmount();
      const left = await unmountRunDisks(opts.runId);
      log(`unmounted the lose-unsynced filesystems of run ${opts.runId}${left.length ? ` (${left.length} left over)` : ''}`);
    }
  };
  return bringUp(opts, {
    undo,
    imageMs: t1 - t0,
    imageCached,
    image,
    create: async () => {
      if (diskTarget) {
        disks = await mountNodeDisks({ runId: opts.runId, runDir: opts.runDir, nodes: nodeNames(opts.nodeCount), target: diskTarget });
        log(`lose-unsynced filesystems mounted at ${diskTarget} on ${opts.nodeCount} nodes`);
      }
      const creating = DockerCluster.create({
        runId: opts.runId,
        nodeCount: opts.nodeCount,
        image: image!,
        runDir: opts.runDir,
        labels: { 'faultline.db': opts.db.name, ...opts.labels },
        aborted: () => aborted,
        ...(disks ? { binds: disks.binds } : {}),
        log,
      });
      creation = creating;
      return creating;
    },
  });
}

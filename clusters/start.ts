// Bring a DB up on a fresh Docker cluster, with teardown guaranteed on every
// exit path (return, throw, SIGINT, SIGTERM) through clusters/cleanup.
import { registerCleanup } from './cleanup.ts';
import { withTimeout } from './timeout.ts';
import type { DB } from './db.ts';
import { DockerCluster, nodeNames, removeRun } from './docker/cluster.ts';
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
}

export interface RunningCluster {
  cluster: DockerCluster;
  db: DB;
  image: string;
  /** Remove containers and network; idempotent. */
  teardown(): Promise<void>;
  /** Timings of the phases, for benchmarks and progress. */
  timings: { imageMs: number; imageCached: boolean; containersMs: number; healthyMs: number };
}

export async function startCluster(opts: StartClusterOptions): Promise<RunningCluster> {
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
  const unregister = opts.guardSignals === false ? () => {} : registerCleanup(`run ${opts.runId}`, undo);
  let tornDown = false;
  const teardown = async () => {
    if (tornDown) return;
    tornDown = true;
    unregister();
    await undo();
  };

  try {
    if (diskTarget) {
      disks = await mountNodeDisks({ runId: opts.runId, runDir: opts.runDir, nodes: nodeNames(opts.nodeCount), target: diskTarget });
      log(`lose-unsynced filesystems mounted at ${diskTarget} on ${opts.nodeCount} nodes`);
    }
    const creating = DockerCluster.create({
      runId: opts.runId,
      nodeCount: opts.nodeCount,
      image,
      runDir: opts.runDir,
      labels: { 'faultline.db': opts.db.name, ...opts.labels },
      aborted: () => aborted,
      ...(disks ? { binds: disks.binds } : {}),
      log,
    });
    creation = creating;
    const cluster = await creating;
    const t2 = performance.now();
    const starting = Promise.all(cluster.nodes.map((n) => opts.db.start(cluster, n.name, { fresh: true })));
    creation = starting;
    await starting;
    await opts.db.waitHealthy(cluster, opts.healthyTimeoutMs ?? 30_000);
    const t3 = performance.now();
    log(`${opts.db.name} healthy on ${cluster.nodes.length} nodes`);
    if (opts.keepOnExit) unregister();
    return {
      cluster,
      db: opts.db,
      image,
      teardown,
      timings: { imageMs: t1 - t0, imageCached, containersMs: t2 - t1, healthyMs: t3 - t2 },
    };
  } catch (err) {
    await teardown().catch(() => {});
    throw err;
  }
}

// A DB on Docker containers, shaped as the run loop's Cluster (harness/test-definition).
// The run loop owns signals (it heals faults before tearing down), so this
// cluster leaves them alone and relies on the run loop calling teardown().
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Coverage, RaftTrace } from '../history/index.ts';
import type { Cluster, ClusterInfo } from './cluster.ts';
import type { DB } from './db.ts';
import type { NodeCluster } from './node-cluster.ts';
import type { HostEntry } from './hosts/hosts-file.ts';
import { makeRunId } from './run-id.ts';
import { startCluster, type RunningCluster } from './start.ts';
import { cleanupStarted } from './cleanup.ts';
import type { WarmCluster, WarmPool } from './warm-pool.ts';

/** What clients and nemeses get once the cluster is up. */
export interface DockerClusterInfo extends ClusterInfo {
  /** The nodes (Docker containers, or machines over SSH). */
  cluster: NodeCluster;
  db: DB;
  /** Client URL per node, e.g. http://10.213.7.11:2379. */
  urls: Record<string, string>;
}

/** What clients and nemeses get: node names, the nodes, the DB and each node's client URL. */
export function clusterInfo(cluster: NodeCluster, db: DB): DockerClusterInfo {
  const nodes = cluster.nodes.map((n) => n.name);
  return { nodes, cluster, db, urls: Object.fromEntries(nodes.map((n) => [n, db.clientUrl(cluster, n)])) };
}

export interface DockerDbClusterOptions {
  db: DB;
  nodeCount: number;
  image?: string;
  log?: (line: string) => void;
  /** Take the containers from this pool and hand them back at teardown (clusters/warm-pool.ts). */
  pool?: WarmPool;
  /** Each node's data on a lose-unsynced filesystem (--nemesis lose-unsynced). */
  lazyDisks?: boolean;
  /** Run the nodes on these machines over SSH (--hosts) instead of containers. */
  hosts?: readonly HostEntry[];
}

export class DockerDbCluster implements Cluster<DockerClusterInfo> {
  readonly name: string;
  readonly runId = makeRunId();
  private running?: RunningCluster<NodeCluster>;
  // Node folders (logs, pid files, data, clock control): under the run folder
  // when the run loop names one (nodes/<node>/, the logs' final place), else a
  // temp folder that teardown removes.
  private workDir?: string;
  private ownsWorkDir = false;
  /** The pooled cluster this run uses, when it came from (or goes to) a pool. */
  private warm?: WarmCluster;

  constructor(private readonly opts: DockerDbClusterOptions) {
    this.name = opts.db.name;
    const parse = opts.db.raftTrace;
    if (parse) this.raftTrace = (info, dir) => this.readTrace(info, dir, parse);
  }

  version(): Promise<string> {
    return this.opts.db.version();
  }

  /** The same cluster with each node's data on a lose-unsynced filesystem (what `--nemesis lose-unsynced` gets; bench:disk measures its cost). */
  withLazyDisks(): DockerDbCluster {
    return new DockerDbCluster({ ...this.opts, lazyDisks: true });
  }

  /** The same cluster, taking its containers from `pool` and handing them back after the run. */
  pooled(pool: WarmPool): DockerDbCluster {
    // Not on lose-unsynced filesystems: their undo logs outlive a run, so the next run's drop could bring back the last run's files.
    // Not on hosts either: the pool keeps containers.
    if (this.opts.lazyDisks || this.opts.hosts) return this;
    return new DockerDbCluster({ ...this.opts, pool });
  }

  async setup(runDir?: string): Promise<DockerClusterInfo> {
    if (this.opts.pool) return this.setupPooled(this.opts.pool);
    this.ownsWorkDir = runDir === undefined;
    this.workDir = runDir === undefined ? mkdtempSync(join(tmpdir(), `faultline-${this.runId}-`)) : resolve(runDir);
    this.running = await this.start(this.workDir);
    return this.infoOf(this.running);
  }

  /** New containers with the DB started on each, node folders under `workDir/nodes`. */
  private start(workDir: string): Promise<RunningCluster<NodeCluster>> {
    const { hosts } = this.opts;
    return hosts ? startCluster({ ...this.startOptions(workDir), hosts }) : this.startContainers(workDir);
  }

  private startContainers(workDir: string): Promise<RunningCluster> {
    return startCluster(this.startOptions(workDir));
  }

  private startOptions(workDir: string) {
    const { db, nodeCount, image, log, lazyDisks } = this.opts;
    return { db, nodeCount, runId: this.runId, runDir: workDir, image, labels: { 'faultline.mode': 'test' }, guardSignals: false, log, lazyDisks };
  }

  private infoOf(running: RunningCluster<NodeCluster>): DockerClusterInfo {
    return clusterInfo(running.cluster, this.opts.db);
  }

  /** Pool key: containers fit another run of the same DB (its image spec), image and size. */
  private poolKey(): string {
    return JSON.stringify([this.opts.db.name, this.opts.db.image(), this.opts.image ?? '', this.opts.nodeCount, this.opts.lazyDisks === true]);
  }

  /**
   * A warm cluster (reset when the last run handed it back) with its DB
   * started fresh on every node, or a new one the pool adopts. Node folders
   * live in the pool's own folder (the containers mount it); collectLogs
   * copies the logs into the run folder.
   */
  private async setupPooled(pool: WarmPool): Promise<DockerClusterInfo> {
    const { db } = this.opts;
    const warm = pool.take(this.poolKey());
    if (warm) {
      try {
        const docker = warm.running.cluster;
        await Promise.all(docker.nodes.map((n) => db.start(docker, n.name, { fresh: true })));
        await db.waitHealthy(docker, 30_000);
        return this.attachWarm(warm);
      } catch (e) {
        this.opts.log?.(`a warm cluster could not be reused (${(e as Error).message}): creating a new one`);
        await pool.discard(warm);
      }
    }
    const workDir = mkdtempSync(join(tmpdir(), `faultline-warm-${this.runId}-`));
    let running: RunningCluster;
    try {
      running = await this.startContainers(workDir);
    } catch (e) {
      rmSync(workDir, { recursive: true, force: true });
      throw e;
    }
    const created = { running, workDir };
    pool.adopt(created);
    return this.attachWarm(created);
  }

  private attachWarm(warm: WarmCluster): DockerClusterInfo {
    this.warm = warm;
    this.running = warm.running;
    this.workDir = warm.workDir;
    return this.infoOf(warm.running);
  }

  waitHealthy(info: DockerClusterInfo, timeoutMs: number): Promise<void> {
    return this.opts.db.waitHealthy(info.cluster, timeoutMs);
  }

  async collectLogs(info: DockerClusterInfo, dir: string): Promise<void> {
    for (const node of info.cluster.nodes) {
      await info.cluster.pullNodeFiles(node.name).catch(() => {});
      if (!existsSync(node.hostDir)) continue;
      const target = join(dir, node.name);
      await copyLogFiles(info.cluster, node.name, this.opts.db.logFiles ?? [], target);
      if (resolve(target) === resolve(node.hostDir)) continue; // already where logs belong
      mkdirSync(target, { recursive: true });
      for (const file of readdirSync(node.hostDir)) {
        if (file.endsWith('.log')) copyFileSync(join(node.hostDir, file), join(target, file));
      }
    }
  }

  /** The DB's own log of every node (`<db name>.log`, where startProcess writes it), counted by the DB's parser. */
  async coverage(info: DockerClusterInfo, dir: string): Promise<Coverage | undefined> {
    const { db } = this.opts;
    if (!db.coverage) return undefined;
    const { logs, missing } = await this.dbLogs(info, dir);
    const coverage = db.coverage(logs);
    return missing.length ? { ...coverage, notes: [...coverage.notes, `no ${db.name}.log for ${missing.join(', ')}: not counted`] } : coverage;
  }

  /**
   * The same logs, read as each member's account of its Raft state. Present
   * only when the DB can read one: the run loop adds the raft-protocol checker
   * exactly when a cluster has it.
   */
  readonly raftTrace?: (info: DockerClusterInfo, dir: string) => Promise<RaftTrace | undefined>;

  private async readTrace(info: DockerClusterInfo, dir: string, parse: (logs: ReadonlyMap<string, string>) => RaftTrace): Promise<RaftTrace> {
    const { logs, missing } = await this.dbLogs(info, dir);
    const trace = parse(logs);
    return missing.length ? { ...trace, notes: [...trace.notes, `no ${this.opts.db.name}.log for ${missing.join(', ')}: not held to the rules`] } : trace;
  }

  /** node -> the text of its `<db name>.log` under dir/<node>/, and the nodes without one. */
  private async dbLogs(info: DockerClusterInfo, dir: string): Promise<{ logs: Map<string, string>; missing: string[] }> {
    const logs = new Map<string, string>();
    const missing: string[] = [];
    for (const node of info.nodes) {
      const text = await readFile(join(dir, node, `${this.opts.db.name}.log`), 'utf8').catch(() => undefined);
      if (text === undefined) missing.push(node);
      else logs.set(node, text);
    }
    return { logs, missing };
  }

  async teardown(): Promise<void> {
    const { pool } = this.opts;
    if (pool && this.warm) {
      const warm = this.warm;
      this.warm = undefined;
      this.running = undefined;
      // On the way out (a signal): removed, not kept.
      if (cleanupStarted()) return pool.discard(warm);
      try {
        const docker = warm.running.cluster;
        await Promise.all(docker.nodes.map((n) => docker.resetNode(n.name)));
        pool.give(this.poolKey(), warm);
      } catch {
        await pool.discard(warm);
      }
      return;
    }
    await this.running?.teardown();
    if (!this.workDir) return;
    if (this.ownsWorkDir) rmSync(this.workDir, { recursive: true, force: true });
    else pruneNodeFolders(join(this.workDir, 'nodes'));
  }
}

/**
 * Files the DB writes inside the node besides its process log (DB.logFiles),
 * copied out next to it as <file name>.log while the container still exists;
 * a file not there (yet) is skipped.
 */
async function copyLogFiles(docker: NodeCluster, node: string, files: readonly string[], target: string): Promise<void> {
  for (const file of files) {
    const text = await docker.readFile(node, file).catch(() => undefined);
    if (text === undefined) continue;
    mkdirSync(target, { recursive: true });
    const name = basename(file);
    writeFileSync(join(target, name.endsWith('.log') ? name : `${name}.log`), text);
  }
}

/** Once the nodes are gone, only their logs stay in the run folder (data, pid and control files go). */
function pruneNodeFolders(nodesDir: string): void {
  if (!existsSync(nodesDir)) return;
  for (const node of readdirSync(nodesDir, { withFileTypes: true })) {
    if (!node.isDirectory()) continue;
    for (const entry of readdirSync(join(nodesDir, node.name), { withFileTypes: true })) {
      if (!(entry.isFile() && entry.name.endsWith('.log'))) rmSync(join(nodesDir, node.name, entry.name), { recursive: true, force: true });
    }
  }
}

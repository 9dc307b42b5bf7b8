// A run's nodes as Docker containers on a private, internal bridge network.
// PID 1 of every container is docker-init + an idle sleep, so killing or
// pausing the database touches only the database process: the network
// namespace (with its iptables rules) and the per-node folder survive.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { extract, pack } from 'tar-stream';
import { UserError } from '../../history/index.ts';
import { docker, RUN_LABEL } from './engine.ts';
import { execIn } from './exec.ts';
import { checkedStdout, NODE_DIR, signalScript, type ExecResult, type NodeCluster, type NodeHandle, type Signal } from '../node-cluster.ts';
import { freeSubnet, hostSubnets, intToIp, ipToInt, parseCidr, type Cidr } from './subnet.ts';

export interface ClusterNode extends NodeHandle {
  container: Docker.Container;
}

export interface CreateClusterOptions {
  runId: string;
  nodeCount: number;
  image: string;
  /** Host folder under which nodes/<node>/ are created. */
  runDir: string;
  /** Extra labels, e.g. faultline.mode=manual, faultline.db=etcd. */
  labels?: Record<string, string>;
  /** Checked between steps so an interrupt stops creation early. */
  aborted?: () => boolean;
  /** Capabilities beyond NET_ADMIN, e.g. SYS_ADMIN for a container that acts like a machine whose root may mount. */
  capAdd?: string[];
  /** One more bind mount ("host:container") per node, e.g. its lose-unsynced filesystem (disk/). */
  binds?: Record<string, string>;
  log?: (line: string) => void;
}

export { NODE_DIR };

/** The nodes of a cluster of `count`: n1..nN, also their hostnames. */
export const nodeNames = (count: number): string[] => Array.from({ length: count }, (_, i) => `n${i + 1}`);


export class DockerCluster implements NodeCluster {
  readonly backend = 'docker';
  /** hostDir is bind-mounted at /faultline: a file written there reaches the node at once. */
  readonly liveNodeDir = true;

  private constructor(
    readonly runId: string,
    readonly networkName: string,
    readonly subnet: string,
    readonly nodes: ClusterNode[],
  ) {}

  static async create(opts: CreateClusterOptions): Promise<DockerCluster> {
    if (!Number.isInteger(opts.nodeCount) || opts.nodeCount < 1 || opts.nodeCount > 9) {
      throw new UserError(`--nodes must be an integer from 1 to 9, got ${opts.nodeCount}`);
    }
    const labels = { [RUN_LABEL]: opts.runId, 'faultline.owner': `${hostname()}:${process.pid}`, ...opts.labels };
    const check = () => {
      if (opts.aborted?.()) throw new Error('cluster creation interrupted');
    };
    const { name: networkName, subnet } = await createNetwork(opts.runId, labels);
    const base = ipToInt(subnet.split('/')[0]);
    const names = nodeNames(opts.nodeCount);
    const ips = names.map((_, i) => intToIp(base + 11 + i));
    const extraHosts = names.map((n, i) => `${n}:${ips[i]}`);
    check();
    const nodes = await Promise.all(
      names.map(async (name, i): Promise<ClusterNode> => {
        const hostDir = resolve(join(opts.runDir, 'nodes', name));
        mkdirSync(hostDir, { recursive: true });
        const container = await docker().createContainer({
          name: `faultline-${opts.runId}-${name}`,
          Hostname: name,
          Image: opts.image,
          Cmd: ['/bin/sleep', 'infinity'],
          Labels: { ...labels, 'faultline.node': name, 'faultline.ip': ips[i] },
          HostConfig: {
            Init: true,
            CapAdd: ['NET_ADMIN', ...(opts.capAdd ?? [])],
            NetworkMode: networkName,
            Binds: [`${hostDir}:${NODE_DIR}`, ...(opts.binds?.[name] ? [opts.binds[name]] : [])],
            ExtraHosts: extraHosts,
          },
          NetworkingConfig: { EndpointsConfig: { [networkName]: { IPAMConfig: { IPv4Address: ips[i] } } } },
        });
        return { name, ip: ips[i], container, hostDir };
      }),
    );
    check();
    await Promise.all(nodes.map((n) => n.container.start()));
    opts.log?.(`started ${nodes.length} containers on ${networkName} (${subnet})`);
    return new DockerCluster(opts.runId, networkName, subnet, nodes);
  }

  /** Re-attach to the containers of an existing run (e.g. `cluster status` of a manual cluster). */
  static async attach(runId: string): Promise<DockerCluster> {
    const list = await docker().listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`] } });
    if (list.length === 0) throw new UserError(`no containers of run ${runId}`);
    const nodes = list
      .map((c) => ({
        name: c.Labels['faultline.node'],
        ip: c.Labels['faultline.ip'],
        container: docker().getContainer(c.Id),
        hostDir: c.Mounts.find((m) => m.Destination === NODE_DIR)?.Source ?? '',
      }))
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    const networkName = Object.keys(list[0].NetworkSettings.Networks)[0];
    const net = await docker().getNetwork(networkName).inspect();
    return new DockerCluster(runId, networkName, net.IPAM?.Config?.[0]?.Subnet ?? '', nodes);
  }

  node(name: string): ClusterNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new UserError(`no node ${name} in run ${this.runId} (nodes: ${this.nodes.map((x) => x.name).join(' ')})`);
    return n;
  }

  exec(node: string, cmd: string[], opts: { timeoutMs?: number; env?: string[] } = {}): Promise<ExecResult> {
    return execIn(this.node(node).container, cmd, opts);
  }

  /** exec that throws when the command exits non-zero. */
  async run(node: string, cmd: string[], opts: { timeoutMs?: number } = {}): Promise<string> {
    return checkedStdout(node, cmd, await this.exec(node, cmd, opts));
  }

  /**
   * Start a long-running process (the DB) in the background with a pid file
   * and its output appended to /faultline/<name>.log (on the host: nodes/<node>/<name>.log).
   */
  async startProcess(node: string, name: string, argv: string[], env: string[] = []): Promise<void> {
    const quoted = argv.map(shellQuote).join(' ');
    const script = `echo $$ > ${NODE_DIR}/${name}.pid; exec ${quoted} >> ${NODE_DIR}/${name}.log 2>&1`;
    const container = this.node(node).container;
    const exec = await container.exec({ Cmd: ['/bin/sh', '-c', script], Env: env, AttachStdout: false, AttachStderr: false });
    // The engine answers a detached start at once, but dockerode hands back the
    // HTTP stream: close it, or it keeps this process alive for minutes.
    const stream = (await exec.start({ Detach: true })) as unknown as NodeJS.ReadableStream & { destroy?: () => void };
    stream.destroy?.();
  }

  /** Send a signal to a process started by startProcess. Returns false when it is not running. */
  async signal(node: string, name: string, signal: Signal): Promise<boolean> {
    const r = await this.exec(node, ['/bin/sh', '-c', signalScript(name, signal)]);
    return r.exitCode === 0;
  }

  /**
   * Back to the state of a node just created, for a cluster used again
   * (clusters/warm-pool.ts): every process startProcess started is killed
   * (paused ones too) and awaited, this node's own firewall rules are
   * flushed (its network namespace alone), and its host folder is emptied
   * (logs, pid files, clock control).
   */
  async resetNode(node: string): Promise<void> {
    const script = [
      `for f in ${NODE_DIR}/*.pid; do [ -e "$f" ] || continue; pid="$(cat "$f")"; kill -KILL "$pid" 2>/dev/null`,
      '  i=0; while kill -0 "$pid" 2>/dev/null; do [ $i -lt 200 ] || { echo "$f: still running 10 s after kill -9" >&2; exit 1; }; sleep 0.05; i=$((i+1)); done',
      'done',
      'for t in filter nat mangle raw; do iptables -t $t -F 2>/dev/null; iptables -t $t -X 2>/dev/null; done',
      'for c in INPUT OUTPUT FORWARD; do iptables -P $c ACCEPT 2>/dev/null; done; true',
    ].join('\n');
    await this.run(node, ['/bin/sh', '-c', script], { timeoutMs: 20_000 });
    const dir = this.node(node).hostDir;
    for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
  }

  /**
   * A new container in place of `node`'s, made from the old one's settings
   * (name, hostname, image, labels, mounts, capabilities, address): a fresh
   * filesystem, process tree and network namespace, so no process and no
   * firewall rule of the old one survives, as when a machine is swapped for
   * a new one at the same address. The node's folder (logs) stays.
   */
  async replaceNode(node: string): Promise<{ old: string; new: string }> {
    const n = this.node(node);
    const old = await n.container.inspect();
    const h = old.HostConfig;
    const name = old.Name.replace(/^\//, '');
    const spec = {
      name,
      Hostname: old.Config.Hostname,
      Image: old.Config.Image,
      Cmd: old.Config.Cmd,
      Labels: old.Config.Labels,
      HostConfig: { Init: h.Init, CapAdd: h.CapAdd, NetworkMode: h.NetworkMode, Binds: h.Binds, ExtraHosts: h.ExtraHosts },
      NetworkingConfig: { EndpointsConfig: { [this.networkName]: { IPAMConfig: { IPv4Address: n.ip } } } },
    };
    await n.container.remove({ force: true });
    // The node has no container now: a failed create or start is tried once more (a half-made one removed first),
    // so one hiccup of the engine does not leave the node without a machine for the rest of the run.
    let failure: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        if (attempt > 0) await docker().getContainer(name).remove({ force: true }).catch(() => undefined);
        const created = await docker().createContainer(spec);
        n.container = created;
        await created.start();
        return { old: old.Id.slice(0, 12), new: created.id.slice(0, 12) };
      } catch (err) {
        failure = err;
      }
    }
    throw new Error(`${node}: its container was removed and no new one could be started: ${(failure as Error).message}`);
  }

  async isRunning(node: string, name: string): Promise<boolean> {
    // kill -0 succeeds for stopped processes too; no zombie lingers (the exec's parent, the shim, reaps it).
    return this.signal(node, name, '0');
  }

  async writeFile(node: string, path: string, content: string | Buffer, mode = 0o644): Promise<void> {
    const slash = path.lastIndexOf('/');
    const dir = path.slice(0, slash) || '/';
    const tar = pack();
    tar.entry({ name: path.slice(slash + 1), mode }, content);
    tar.finalize();
    await this.node(node).container.putArchive(tar as unknown as NodeJS.ReadableStream, { path: dir });
  }

  /** A file's bytes and mode through the engine's archive API: binary-safe, where readFile (cat) gives text. */
  async readFileBytes(node: string, path: string): Promise<{ data: Buffer; mode: number }> {
    const archive = (await this.node(node).container.getArchive({ path })) as Readable;
    const entries = extract();
    archive.pipe(entries);
    try {
      // The archive's first entry is the path itself (a folder's files follow it: they are not what was asked for).
      for await (const entry of entries) {
        if (entry.header.type !== 'file') break;
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        return { data: Buffer.concat(chunks), mode: entry.header.mode ?? 0o644 };
      }
      throw new Error(`${node}: ${path} is not a regular file`);
    } finally {
      // Leaving the loop early ends the extractor but not the engine's response piped into it:
      // its socket would stay open (and the controller alive after the run) until the engine closed it.
      archive.destroy();
    }
  }

  async readFile(node: string, path: string): Promise<string> {
    return this.run(node, ['/bin/cat', path]);
  }

  async pullNodeFiles(): Promise<void> {}

  /** Remove every container and the network of this run. */
  async teardown(): Promise<void> {
    await removeRun(this.runId);
  }
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\-./=:,@%+]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

async function createNetwork(runId: string, labels: Record<string, string>): Promise<{ name: string; subnet: string }> {
  const name = `faultline-${runId}`;
  // A random start spreads concurrent runs; the engine rejects an overlap, then we try the next.
  let start = Math.floor(Math.random() * 256);
  for (let attempt = 0; attempt < 8; attempt++) {
    const used = [...hostSubnets(), ...(await engineSubnets())];
    const subnet = freeSubnet(used, start);
    if (!subnet) break;
    try {
      await docker().createNetwork({
        Name: name,
        Driver: 'bridge',
        Internal: true, // nodes reach each other and the host reaches them; nothing else
        CheckDuplicate: true,
        IPAM: { Config: [{ Subnet: subnet, Gateway: intToIp(ipToInt(subnet.split('/')[0]) + 1) }] },
        Labels: labels,
      });
      return { name, subnet };
    } catch (err) {
      if (!/overlap|already/i.test((err as Error).message)) throw err;
      start += 1;
    }
  }
  throw new UserError('no free /24 subnet in 10.213.0.0/16 for the run network');
}

async function engineSubnets(): Promise<Cidr[]> {
  const nets = await docker().listNetworks();
  return nets.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => parseCidr(c.Subnet ?? '')).filter((c): c is Cidr => !!c));
}

// One removal per run at a time: a signal handler and a failing start may both ask.
const removals = new Map<string, Promise<{ containers: string[]; networks: string[] }>>();

/**
 * Remove the containers and networks labelled with a run id, retrying until
 * none is left (the engine answers 409 while a removal is in progress and
 * refuses to drop a network that still has endpoints). Returns what it removed.
 */
export function removeRun(runId: string, timeoutMs = 60_000): Promise<{ containers: string[]; networks: string[] }> {
  let removal = removals.get(runId);
  if (!removal) {
    removal = sweep(runId, timeoutMs).finally(() => removals.delete(runId));
    removals.set(runId, removal);
  }
  return removal;
}

async function sweep(runId: string, timeoutMs: number): Promise<{ containers: string[]; networks: string[] }> {
  const filters = { label: [`${RUN_LABEL}=${runId}`] };
  const removed = { containers: new Set<string>(), networks: new Set<string>() };
  const deadline = Date.now() + timeoutMs;
  let lastError: Error | undefined;
  while (Date.now() < deadline) {
    const containers = await docker().listContainers({ all: true, filters });
    const networks = await docker().listNetworks({ filters });
    if (containers.length === 0 && networks.length === 0) {
      return { containers: [...removed.containers], networks: [...removed.networks] };
    }
    await Promise.all(
      containers.map(async (c) => {
        try {
          await docker().getContainer(c.Id).remove({ force: true, v: true });
          removed.containers.add(c.Names[0]?.replace(/^\//, '') ?? c.Id);
        } catch (err) {
          lastError = err as Error;
        }
      }),
    );
    if (containers.length === 0) {
      for (const n of networks) {
        try {
          await docker().getNetwork(n.Id).remove();
          removed.networks.add(n.Name);
        } catch (err) {
          lastError = err as Error;
        }
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`could not remove every object of run ${runId} in ${timeoutMs} ms: ${lastError?.message ?? 'still listed'}`);
}

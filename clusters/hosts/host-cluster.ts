// A run's nodes on machines reached over SSH (`faultline test --hosts`), the
// sibling of DockerCluster. Each node gets the same file tree its Docker image
// would hold (the DB binary, its shared-library closure, the toolbox), unpacked
// under HOST_ROOT/<run>/<node> on its host, and every command runs chrooted
// there: the DB definitions' paths (/usr/bin/etcd, /data, /faultline) mean
// the same on both backends, and everything the run writes stays in that one
// folder. The network namespace is the host's own, so partitions are the
// host's iptables rules, in faultline's own chains (nemeses/iptables.ts).
// The host's /proc is bind-mounted into the tree (process states for pause and
// kill evidence, process ages for clock skew).
// Teardown kills the run's processes, deletes exactly faultline's rules and
// removes the run folder; `faultline clean --hosts` does the same after a
// crashed controller (leftovers.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { UserError } from '../../history/index.ts';
import { packRoot, resolveEntries, type ImageSpec } from '../docker/image.ts';
import { checkedStdout, NODE_DIR, signalScript, type ExecResult, type NodeCluster, type NodeHandle, type Signal } from '../node-cluster.ts';
import type { HostEntry } from './hosts-file.ts';
import { HOST_ROOT, leaveAsFoundScript, ourIptablesLines, requireTools } from './leftovers.ts';
import { shellQuote, SshHost } from './ssh.ts';

export interface HostNode extends NodeHandle {
  ssh: SshHost;
  /** The node's root folder on its host (what commands are chrooted to). */
  root: string;
}

export interface CreateHostClusterOptions {
  runId: string;
  hosts: readonly HostEntry[];
  /** The file tree every node gets: the DB's image spec. */
  spec: ImageSpec;
  /** Controller folder under which nodes/<node>/ mirror each node's /faultline (logs). */
  runDir: string;
  log?: (line: string) => void;
}

/**
 * The device files a node's programs open (shells redirect to /dev/null, Go and
 * Node read /dev/urandom), made inside its tree: plain nodes that rm removes,
 * where a bind mount of /dev would be one more thing to undo on every exit path.
 */
const DEVICES: ReadonlyArray<[name: string, major: number, minor: number]> = [['null', 1, 3], ['zero', 1, 5], ['random', 1, 8], ['urandom', 1, 9]];
const devices = (root: string): string =>
  [`mkdir -p ${root}/dev`, ...DEVICES.map(([name, major, minor]) => `mknod -m 666 ${root}/dev/${name} c ${major} ${minor}`)].join(' && ');

/** The run's folder on every host. */
export const hostRunDir = (runId: string): string => `${HOST_ROOT}/${runId}`;

export class HostCluster implements NodeCluster {
  readonly backend = 'hosts';
  /** hostDir is a copy on the controller: a file written there does not reach the host. */
  readonly liveNodeDir = false;

  private constructor(
    readonly runId: string,
    readonly nodes: readonly HostNode[],
    /** Environment every command gets (the image's: the loader's library path, PATH). */
    private readonly env: Record<string, string>,
  ) {}

  /**
   * Connect to every host, refuse one that lacks the tools faultline needs,
   * and unpack the node tree on each. On failure whatever was unpacked is
   * removed before the error is thrown.
   */
  static async create(opts: CreateHostClusterOptions): Promise<HostCluster> {
    if (opts.hosts.length < 1 || opts.hosts.length > 9) throw new UserError(`a hosts file must list 1 to 9 hosts, got ${opts.hosts.length}`);
    const entries = await resolveEntries(opts.spec);
    const nodes: HostNode[] = opts.hosts.map((h) => {
      const hostDir = join(opts.runDir, 'nodes', h.name);
      mkdirSync(hostDir, { recursive: true });
      return { name: h.name, ip: h.address, hostDir, ssh: new SshHost(h), root: `${hostRunDir(opts.runId)}/${h.name}` };
    });
    const cluster = new HostCluster(opts.runId, nodes, opts.spec.env ?? {});
    try {
      await Promise.all(
        nodes.map(async (n) => {
          await requireTools(n.ssh);
          const t0 = performance.now();
          const tar = pack();
          const packing = packRoot(tar, opts.spec, entries).then(() => tar.finalize());
          const root = shellQuote(n.root);
          // /proc bind-mounted (recursively: a host may mask parts of it with mounts of its own) for the nemeses' state reads.
          const proc = `mkdir -p ${root}/proc && mount --rbind /proc ${root}/proc`;
          const r = await n.ssh.execRaw(`mkdir -p ${root} && tar -x -C ${root} && ${devices(root)} && ${proc}`, { input: tar as unknown as NodeJS.ReadableStream, timeoutMs: 120_000 });
          await packing;
          if (r.exitCode !== 0) throw new Error(`host ${n.name}: unpacking the node files failed (${r.exitCode}): ${r.stderr.trim()}`);
          opts.log?.(`${n.name}: node files unpacked on ${n.ssh.host.address} in ${Math.round(performance.now() - t0)} ms`);
        }),
      );
    } catch (err) {
      await cluster.teardown().catch(() => {});
      throw err;
    }
    return cluster;
  }

  node(name: string): HostNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new UserError(`no node ${name} in run ${this.runId} (nodes: ${this.nodes.map((x) => x.name).join(' ')})`);
    return n;
  }

  /** The shell line that runs `argv` chrooted into the node's tree, with the image's environment and `env`. */
  private chrooted(n: HostNode, argv: readonly string[], env: readonly string[] = []): string {
    const vars = [...Object.entries(this.env).map(([k, v]) => `${k}=${v}`), ...env].map(shellQuote).join(' ');
    return `env ${vars} chroot ${shellQuote(n.root)} ${argv.map(shellQuote).join(' ')}`;
  }

  async exec(node: string, cmd: string[], opts: { timeoutMs?: number; env?: string[] } = {}): Promise<ExecResult> {
    const n = this.node(node);
    return n.ssh.exec(this.chrooted(n, cmd, opts.env), opts.timeoutMs ?? 30_000);
  }

  async run(node: string, cmd: string[], opts: { timeoutMs?: number } = {}): Promise<string> {
    return checkedStdout(node, cmd, await this.exec(node, cmd, opts));
  }

  /** Same contract as DockerCluster.startProcess: pid in /faultline/<name>.pid, output appended to /faultline/<name>.log. */
  async startProcess(node: string, name: string, argv: string[], env: string[] = []): Promise<void> {
    const n = this.node(node);
    const script = `echo $$ > ${NODE_DIR}/${name}.pid; exec ${argv.map(shellQuote).join(' ')} >> ${NODE_DIR}/${name}.log 2>&1`;
    // Detached from the SSH session: its own session (no hang-up when the channel closes), no inherited descriptors.
    const line = `setsid ${this.chrooted(n, ['/bin/sh', '-c', script], env)} < /dev/null > /dev/null 2>&1 &`;
    await n.ssh.run(line);
  }

  async signal(node: string, name: string, signal: Signal): Promise<boolean> {
    const r = await this.exec(node, ['/bin/sh', '-c', signalScript(name, signal)]);
    return r.exitCode === 0;
  }

  isRunning(node: string, name: string): Promise<boolean> {
    return this.signal(node, name, '0');
  }

  async writeFile(node: string, path: string, content: string | Buffer, mode = 0o644): Promise<void> {
    const n = this.node(node);
    await n.ssh.writeFile(`${n.root}${path}`, content, mode);
  }

  async readFile(node: string, path: string): Promise<string> {
    return this.run(node, ['/bin/cat', path]);
  }

  async readFileBytes(node: string, path: string): Promise<{ data: Buffer; mode: number }> {
    const n = this.node(node);
    const file = shellQuote(`${n.root}${path}`);
    const [r, mode] = await Promise.all([n.ssh.execRaw(`cat ${file}`, { timeoutMs: 60_000 }), n.ssh.exec(`stat -c %a ${file}`)]);
    if (r.exitCode !== 0) throw new Error(`${node}: reading ${path} failed: ${r.stderr.trim()}`);
    // No guessed mode: a file written back (corrupt's restore) must get the one it had.
    const parsed = parseInt(mode.stdout.trim(), 8);
    if (mode.exitCode !== 0 || Number.isNaN(parsed)) throw new Error(`${node}: reading the mode of ${path} failed: ${(mode.stderr || mode.stdout).trim()}`);
    return { data: r.stdout, mode: parsed };
  }

  /** Copy the node's logs (/faultline/*.log) into hostDir, where log collection reads them. */
  async pullNodeFiles(node: string): Promise<void> {
    const n = this.node(node);
    const names = (await this.run(node, ['/bin/sh', '-c', `cd ${NODE_DIR} && for f in *.log; do [ -e "$f" ] && echo "$f"; done; true`])).split('\n').filter(Boolean);
    for (const name of names) {
      const { data } = await this.readFileBytes(node, `${NODE_DIR}/${name}`);
      writeFileSync(join(n.hostDir, name), data);
    }
  }

  /**
   * Leave every host as found: the run's processes killed (paused ones woken
   * so they can die), faultline's iptables rules and chains deleted (no other
   * rule touched), the run folder removed. Each host is tried even when
   * another fails; the first failure is thrown after all were tried.
   */
  async teardown(): Promise<void> {
    const failures: string[] = [];
    await Promise.all(
      this.nodes.map(async (n) => {
        try {
          const rules = ourIptablesLines(await n.ssh.run('iptables -S 2>/dev/null; true'));
          // The tree's /proc is detached before the folder goes (removeTreeScript): rm never walks into the host's /proc.
          const script = [
            leaveAsFoundScript(rules, [`${shellQuote(n.root)}${NODE_DIR}/*.pid`], n.root),
            `rmdir ${shellQuote(hostRunDir(this.runId))} ${HOST_ROOT} 2>/dev/null`,
            'true',
          ].join('\n');
          await n.ssh.run(script, 30_000);
        } catch (err) {
          failures.push(`${n.name}: ${(err as Error).message}`);
        } finally {
          n.ssh.close();
        }
      }),
    );
    if (failures.length) throw new Error(`teardown left things on hosts (faultline clean --hosts removes them): ${failures.join('; ')}`);
  }
}

// The nodes a DB runs on, as DB definitions and nemeses see them: commands,
// processes with pid files, files, one folder per node. Two backends
// implement it: Docker containers on one machine (docker/cluster.ts) and
// machines reached over SSH (hosts/host-cluster.ts). Code written against this
// interface runs on both; what only one backend can do is said by a flag.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Inside every node, /faultline is the node's own folder: logs, pid files, clock control. */
export const NODE_DIR = '/faultline';

/** Signals the DB process gets: kill, pause, resume, terminate, and 0 (is it alive?). */
export type Signal = 'KILL' | 'STOP' | 'CONT' | 'TERM' | '0';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface NodeHandle {
  /** n1..nN; on Docker also the hostname. */
  name: string;
  /** The address the other nodes and the controller reach this node at. */
  ip: string;
  /**
   * A folder on the controller holding the node's /faultline (logs, pid
   * files, clock control). On Docker it is the node's own folder (a bind
   * mount); on hosts a copy that pullNodeFiles refreshes.
   */
  hostDir: string;
}

export interface NodeCluster {
  readonly runId: string;
  readonly nodes: readonly NodeHandle[];
  /** Which backend, for messages and refusals. */
  readonly backend: 'docker' | 'hosts';
  /**
   * Whether a file written into hostDir reaches the running node at once
   * (Docker's bind mount). Faults that steer a process through such files
   * (clock control, FIFOs) need it.
   */
  readonly liveNodeDir: boolean;
  node(name: string): NodeHandle;
  /** Run a command (argv, no shell unless you ask for one) on a node. */
  exec(node: string, cmd: string[], opts?: { timeoutMs?: number; env?: string[] }): Promise<ExecResult>;
  /** exec that throws when the command exits non-zero; its stdout. */
  run(node: string, cmd: string[], opts?: { timeoutMs?: number }): Promise<string>;
  /** Start a long-running process in the background, pid in /faultline/<name>.pid, output appended to /faultline/<name>.log. */
  startProcess(node: string, name: string, argv: string[], env?: string[]): Promise<void>;
  /** Signal a process startProcess started; false when it is not running. */
  signal(node: string, name: string, signal: Signal): Promise<boolean>;
  isRunning(node: string, name: string): Promise<boolean>;
  writeFile(node: string, path: string, content: string | Buffer, mode?: number): Promise<void>;
  readFile(node: string, path: string): Promise<string>;
  /** A file's bytes and mode, binary-safe. */
  readFileBytes(node: string, path: string): Promise<{ data: Buffer; mode: number }>;
  /** Refresh hostDir from the node (logs before they are collected); a no-op where hostDir is live. */
  pullNodeFiles(node: string): Promise<void>;
  /**
   * Swap the node for a new machine at the same name and address (Docker: a
   * new container; absent where machines cannot be swapped, as on hosts).
   * Every process of the old one is gone; the new one starts with nothing
   * running. Returns both machines' ids.
   */
  replaceNode?(node: string): Promise<{ old: string; new: string }>;
  /** Remove everything this run created on the nodes. */
  teardown(): Promise<void>;
}

/** The shell line both backends use to signal a process startProcess started (its pid file under /faultline). */
export const signalScript = (name: string, signal: Signal): string => `kill -${signal} "$(cat ${NODE_DIR}/${name}.pid)"`;

/** exec's result as run returns it: stdout, or an error naming the node, the command and what it said. */
export function checkedStdout(node: string, cmd: readonly string[], r: ExecResult): string {
  if (r.exitCode !== 0) throw new Error(`${node}: ${cmd.join(' ')} exited ${r.exitCode}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}


/**
 * A file of the node's own folder (/faultline/<name>: a process log, the clock
 * control), or undefined when there is none: read on the controller where that
 * folder is live (Docker's bind mount, no exec), else through the node (a host).
 */
export async function readNodeDirFile(c: NodeCluster, node: string, name: string): Promise<string | undefined> {
  if (c.liveNodeDir) {
    try {
      return readFileSync(join(c.node(node).hostDir, name), 'utf8');
    } catch {
      return undefined;
    }
  }
  const path = `'${NODE_DIR}/${name.replace(/'/g, `'\\''`)}'`;
  const r = await c.exec(node, ['/bin/sh', '-c', `[ -e ${path} ] || exit 3; cat ${path}`]);
  if (r.exitCode === 3) return undefined;
  return checkedStdout(node, ['cat', `${NODE_DIR}/${name}`], r);
}

// `faultline hosts up|down`: containers that behave like bare machines, to try
// the SSH backend without real ones. Each is a node of a DockerCluster (own
// network namespace, NET_ADMIN, the run's internal network, faultline.run
// label, so `faultline clean` finds leftovers) whose image adds sshd; the
// controller logs in with a key pair kept under .faultline/hosts/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../history/index.ts';
import { DockerCluster, removeRun } from '../docker/cluster.ts';
import { buildImage } from '../docker/image.ts';
import { makeRunId } from '../run-id.ts';
import { hostImageSpec, START_SSHD } from './host-image.ts';
import type { HostsFile } from './hosts-file.ts';

/** Where the controller's key pair for fake hosts lives (one per checkout, reused). */
export const FAKE_HOSTS_KEYS = fileURLToPath(new URL('../../.faultline/hosts/', import.meta.url));

export interface FakeHostKeys {
  /** The controller's private key file (goes into hosts.json). */
  clientKey: string;
  clientPublic: string;
  hostKey: string;
}

/** The controller key pair and the hosts' host key, made once with ssh-keygen (openssh-client). */
export function fakeHostKeys(dir = FAKE_HOSTS_KEYS): FakeHostKeys {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const make = (file: string) => {
    if (!existsSync(file)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'faultline-hosts', '-f', file], { stdio: 'ignore' });
  };
  const client = join(dir, 'id_ed25519');
  const host = join(dir, 'ssh_host_ed25519_key');
  make(client);
  make(host);
  return { clientKey: client, clientPublic: readFileSync(`${client}.pub`, 'utf8'), hostKey: readFileSync(host, 'utf8') };
}

export interface HostsUpOptions {
  count: number;
  /** Folder for the containers' node folders (logs of nothing, kept for symmetry with runs). */
  runDir: string;
  log?: (line: string) => void;
}

/** Start `count` fake hosts and return their hosts file (not yet written). */
export async function fakeHostsUp(opts: HostsUpOptions): Promise<HostsFile> {
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > 9) throw new UserError(`--count must be an integer from 1 to 9, got ${opts.count}`);
  const keys = fakeHostKeys();
  const image = await buildImage(hostImageSpec(keys.hostKey, keys.clientPublic));
  opts.log?.(`host image ${image.tag} ${image.cached ? 'reused' : 'built'} in ${Math.round(image.ms)} ms`);
  const runId = makeRunId();
  let cluster: DockerCluster | undefined;
  try {
    // SYS_ADMIN: a machine's root may mount, and the SSH backend bind-mounts /proc into each node's tree.
    cluster = await DockerCluster.create({ runId, nodeCount: opts.count, image: image.tag, runDir: opts.runDir, labels: { 'faultline.mode': 'manual', 'faultline.db': 'hosts' }, capAdd: ['SYS_ADMIN'], log: opts.log });
    await Promise.all(cluster.nodes.map((n) => cluster!.run(n.name, ['/bin/sh', '-c', START_SSHD], { timeoutMs: 10_000 })));
  } catch (err) {
    await removeRun(runId).catch(() => {});
    throw err;
  }
  return {
    containersRun: runId,
    hosts: cluster.nodes.map((n) => ({ name: n.name, address: n.ip, port: 22, user: 'root', key: keys.clientKey, sudo: false })),
  };
}

export function writeHostsFile(path: string, file: HostsFile): void {
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n');
}

/** Remove the containers a hosts file from `hosts up` names. */
export async function fakeHostsDown(file: HostsFile, source: string): Promise<{ containers: string[]; networks: string[] }> {
  if (!file.containersRun) throw new UserError(`${source} was not written by \`faultline hosts up\` (no "containersRun"): real machines are not removed`);
  return removeRun(file.containersRun);
}

// The controller's side of the shim: put it beside a node, start the user's
// node through it, ask whether it is up. Helper of the defined DB
// (clusters/defined/db.ts), which calls these from start() and status().
import { UserError } from '../../../history/index.ts';
import { NODE_DIR } from '../../docker/cluster.ts';
import { readNodeDirFile, type NodeCluster } from '../../node-cluster.ts';
import type { ImageFile } from '../../docker/image.ts';
import { SHIM_PORTS } from '../schema.ts';
import { shimBundleText } from './bundle.ts';
import { PROTOCOL_HINT } from './protocol.ts';

const NODE_BINARY = '/usr/bin/node';
const SHIM_FILE = '/opt/faultline/maelstrom-shim.mjs';
/** The shim's own process name in the node: /faultline/faultline-shim.pid and .log. */
export const SHIM_PROCESS = 'faultline-shim';
/** How long a shim may take to listen after it was started (node loads the bundle in ~50 ms). */
const SHIM_START_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

/** What the node image needs for the shim: the node binary and the shim bundle. */
export function shimImage(): { files: ImageFile[]; texts: Record<string, string> } {
  return { files: [{ from: NODE_BINARY, elf: true }], texts: { [SHIM_FILE]: shimBundleText() } };
}

/** Where clients reach a node: its shim's HTTP side (workloads/maelstrom posts /rpc there). */
export function maelstromUrl(c: NodeCluster, node: string): string {
  return `http://${c.node(node).ip}:${SHIM_PORTS.client}`;
}

export interface MaelstromStart {
  /** Name of the node's pid and log files (what faultline kills and pauses). */
  process: string;
  argv: string[];
  /** KEY=VALUE (e.g. faketimeEnv() for clock faults). */
  env: string[];
  /** Every node id, in order; the node's init lists them. */
  nodeIds: string[];
  initTimeoutS: number;
}

/**
 * Start the node's shim if it is not running (it lives as long as the
 * container), then the node itself through it, and wait for its init_ok.
 * Throws a UserError that says what the node did wrong when it does not
 * start (exited, wrote something that is not a Maelstrom message, no init_ok).
 */
export async function startMaelstromNode(c: NodeCluster, node: string, o: MaelstromStart): Promise<void> {
  const url = maelstromUrl(c, node);
  if ((await health(url)) === undefined) {
    const peers = o.nodeIds.map((id) => `${id}=${c.node(id).ip}:${SHIM_PORTS.peer}`).join(',');
    await c.startProcess(node, SHIM_PROCESS, [NODE_BINARY, SHIM_FILE, '--node', node, '--peers', peers, '--dir', NODE_DIR, '--process', o.process, '--client-port', String(SHIM_PORTS.client)]);
    await waitForShim(c, node, url);
  }
  const res = await fetch(`${url}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ argv: o.argv, env: o.env, nodeIds: o.nodeIds, initTimeoutMs: o.initTimeoutS * 1000 }),
    signal: AbortSignal.timeout(o.initTimeoutS * 1000 + 5000),
  });
  if (res.ok) return;
  const { error } = (await res.json().catch(() => ({}))) as { error?: string };
  const why = error ?? `the shim answered ${res.status}`;
  const hint = /not a Maelstrom message/.test(why) ? undefined : `A Maelstrom node reads messages on stdin and answers init with init_ok. ${PROTOCOL_HINT} Its stderr is in nodes/${node}/${o.process}.log of the run folder.`;
  throw new UserError(`Maelstrom node ${node} did not start: ${why}`, hint);
}

/** Is the node running and initialized (it answered init since it last started)? */
export async function maelstromNodeReady(c: NodeCluster, node: string): Promise<boolean> {
  return (await health(maelstromUrl(c, node)))?.initialized === true;
}

interface Health {
  pid: number | null;
  initialized: boolean;
  lastError?: string;
}

/** The shim's /health, or undefined when it does not answer. */
async function health(url: string): Promise<Health | undefined> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? ((await res.json()) as Health) : undefined;
  } catch {
    return undefined;
  }
}

async function waitForShim(c: NodeCluster, node: string, url: string): Promise<void> {
  const deadline = Date.now() + SHIM_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if ((await health(url)) !== undefined) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const log = (await readNodeDirFile(c, node, `${SHIM_PROCESS}.log`).catch(() => undefined)) ?? '';
  throw new Error(`the Maelstrom shim on ${node} did not answer within ${SHIM_START_TIMEOUT_MS / 1000} s${log ? `; its log ends:\n${log.slice(-2000)}` : ''}`);
}

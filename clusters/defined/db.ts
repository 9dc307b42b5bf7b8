// A system definition file as a DB (clusters/db.ts): the node command with
// its placeholders filled in per node, readiness and leadership read through
// the definition's probes, the client address of its protocol. Maelstrom
// nodes run under faultline's shim (maelstrom/), the others as the node's
// process directly.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { delay } from '../timeout.ts';
import type { DB, MemberStatus } from '../db.ts';
import { NODE_DIR, readNodeDirFile, type NodeCluster } from '../node-cluster.ts';
import { faketimeEnv } from '../faketime.ts';
import { LIBFAKETIME } from '../docker/toolbox.ts';
import { UserError } from '../../history/index.ts';
import { readNodeClock } from './clock.ts';
import { definedImage } from './image.ts';
import { judgeLeader, type LeaderAnswer, type LeaderJudgement } from './leader.ts';
import type { LoadedDefinition } from './load.ts';
import { maelstromNodeReady, startMaelstromNode } from './maelstrom/index.ts';
import { expandPlaceholders } from './placeholders.ts';
import { runPrepare } from './prepare.ts';
import { causeText, httpJson, readyProblem, resolvePort, valuesOn } from './probes.ts';
import { SHIM_PORTS, underLibfaketime, type SystemDefinition } from './schema.ts';

const POLL_MS = 250;
/** A node whose process is gone this long while starting has failed (not merely slow). */
const GONE_FOR_MS = 1000;
const LOG_TAIL_LINES = 12;

/** The port clients use: the protocol's (through `ports`), or the shim's for Maelstrom. */
export function clientPort(def: SystemDefinition): number {
  return def.client.protocol === 'maelstrom' ? SHIM_PORTS.client : resolvePort(def, def.client.port);
}

/** The last lines of a node's process log (its stdout and stderr). */
export async function logTail(c: NodeCluster, node: string, process: string, lines = LOG_TAIL_LINES): Promise<string> {
  const read = await readNodeDirFile(c, node, `${process}.log`).catch((err: Error) => `(${process}.log unreadable: ${err.message})`);
  if (read === undefined) return `(no ${process}.log: the process wrote nothing)`;
  const text = read.trimEnd();
  if (!text) return `(${process}.log is empty)`;
  // etcd-style JSON log lines run long: a tail is for reading.
  return text.split('\n').slice(-lines).map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l)).join('\n');
}

const indent = (text: string, by: string): string => text.split('\n').map((l) => by + l).join('\n');

export function definedDb(loaded: LoadedDefinition): DB {
  const { def } = loaded;
  const name = def.name;

  async function leaderAnswers(c: NodeCluster): Promise<LeaderAnswer[]> {
    const probe = def.leader!;
    return Promise.all(
      c.nodes.map(async (n): Promise<LeaderAnswer> => {
        try {
          return { node: n.name, ip: n.ip, answer: await httpJson(def, c, n.name, probe.http) };
        } catch (err) {
          return { node: n.name, ip: n.ip, error: causeText(err) };
        }
      }),
    );
  }

  async function judge(c: NodeCluster): Promise<LeaderJudgement | undefined> {
    return def.leader ? judgeLeader(def.leader, await leaderAnswers(c)) : undefined;
  }

  /** Why a node is not ready (undefined: it is). */
  async function notReady(c: NodeCluster, node: string): Promise<string | undefined> {
    if (def.client.protocol === 'maelstrom') {
      if (!(await maelstromNodeReady(c, node).catch(() => false))) return 'the Maelstrom node has not answered init';
    }
    return readyProblem(def, c, node);
  }

  const db: DB = {
    dataDir: def.node.dataDir,
    name,
    supportsClockFaults: underLibfaketime(def.node),
    leaderUnknown: def.leader === undefined,
    logFiles: def.node.logs,
    ...(def.node.dataFiles ? { dataFiles: def.node.dataFiles } : {}),
    // Clock faults' evidence: the node's clock as libfaketime fakes it there (clock.ts).
    ...(underLibfaketime(def.node) ? { nodeReport: (c: NodeCluster, node: string) => readNodeClock(c, node, name) } : {}),
    image: () => {
      runPrepare(loaded); // the build step first: the image is made of what it writes
      return definedImage(loaded);
    },
    async version() {
      const digest = createHash('sha256').update(JSON.stringify(loaded.input)).digest('hex').slice(0, 12);
      return `${name}${def.describe ? ` (${def.describe})` : ''}, definition ${digest}`;
    },
    async start(c, node, { fresh }) {
      const dir = def.node.dataDir;
      const quoted = `'${dir.replace(/'/g, `'\\''`)}'`;
      await c.run(node, ['/bin/sh', '-c', fresh ? `rm -rf ${quoted} && mkdir -p ${quoted}` : `mkdir -p ${quoted}`]);
      // A local image (image.tag) got no toolbox from us: without libfaketime in it, clock faults would silently do nothing.
      if (underLibfaketime(def.node) && 'tag' in def.image) {
        const has = await c.exec(node, ['/bin/sh', '-c', `[ -e ${LIBFAKETIME} ]`]);
        if (has.exitCode !== 0) throw new UserError(`${name}: node.clock is "libfaketime", but image ${def.image.tag} has no ${LIBFAKETIME}`);
      }
      const values = valuesOn(def, c, node);
      const argv = def.node.command.map((a) => expandPlaceholders(a, values));
      const env = [
        ...Object.entries(def.node.env).map(([k, v]) => `${k}=${expandPlaceholders(v, values)}`),
        ...(underLibfaketime(def.node) ? faketimeEnv({ monotonic: def.node.clock === 'libfaketime-monotonic' }) : []),
      ];
      if (def.client.protocol === 'maelstrom') {
        await startMaelstromNode(c, node, { process: name, argv, env, nodeIds: c.nodes.map((n) => n.name), initTimeoutS: def.client.initTimeoutS });
      } else {
        await c.startProcess(node, name, argv, env);
      }
    },
    async waitHealthy(c, _timeoutMs) {
      // The definition says how long its nodes may take (readyTimeoutS); the caller's default knows nothing of them.
      const budgetMs = def.readyTimeoutS * 1000;
      const deadline = Date.now() + budgetMs;
      const goneSince = new Map<string, number>();
      for (;;) {
        const why = new Map<string, string>();
        await Promise.all(
          c.nodes.map(async (n) => {
            const problem = await notReady(c, n.name);
            if (problem === undefined) return goneSince.delete(n.name);
            const running = await c.isRunning(n.name, name);
            why.set(n.name, running ? `not ready: ${problem}` : `not ready, and its process is not running (exited or never started): ${problem}`);
            if (running) goneSince.delete(n.name);
            else if (!goneSince.has(n.name)) goneSince.set(n.name, Date.now());
          }),
        );
        let leaderWhy: string | undefined;
        if (why.size === 0) {
          const j = await judge(c);
          if (!j || j.agreed) return;
          leaderWhy = `no agreed leader: ${Object.entries(j.views).map(([n, v]) => `${n} ${v}`).join('; ')}`;
        }
        const gone = [...goneSince].filter(([, t]) => Date.now() - t >= GONE_FOR_MS).map(([n]) => n);
        if (gone.length > 0 || Date.now() >= deadline) {
          // The definition or the program it starts is at fault: a user error (exit 2) with what each node showed.
          throw new UserError(
            await notHealthyMessage(c, why, leaderWhy, gone.length > 0 ? `its process exited on ${gone.join(' ')}` : `not ready after ${def.readyTimeoutS} s (readyTimeoutS)`),
            `faultline system check ${loaded.file} brings one node up and says what it sees.`,
          );
        }
        await delay(POLL_MS);
      }
    },
    async leader(c) {
      return (await judge(c))?.leader;
    },
    async status(c) {
      const [j, ready] = await Promise.all([judge(c), Promise.all(c.nodes.map((n) => notReady(c, n.name)))]);
      return c.nodes.map((n, i): MemberStatus => ({
        node: n.name,
        ip: n.ip,
        up: ready[i] === undefined,
        leader: j?.leader === n.name,
        ...(ready[i] === undefined ? {} : { error: ready[i] }),
      }));
    },
    clientUrl: (c, node) => `http://${c.node(node).ip}:${clientPort(def)}`,
    async wipe(c, node) {
      await c.signal(node, name, 'KILL');
      await db.start(c, node, { fresh: true });
    },
  };

  async function notHealthyMessage(c: NodeCluster, why: Map<string, string>, leaderWhy: string | undefined, headline: string): Promise<string> {
    const lines = [`${name}: ${headline}`];
    for (const n of c.nodes) {
      const problem = why.get(n.name);
      if (!problem) {
        lines.push(`  ${n.name}: ready`);
        continue;
      }
      lines.push(`  ${n.name}: ${problem}`);
      // On hosts the copy under hostDir fills in only when logs are collected: name the file where it lives.
      const where = c.liveNodeDir ? join(n.hostDir, `${name}.log`) : `${n.name}:${NODE_DIR}/${name}.log, copied to ${join(n.hostDir, `${name}.log`)}`;
      lines.push(`    last lines of ${name}.log (${where}):`);
      lines.push(indent(await logTail(c, n.name, name), '      '));
    }
    if (leaderWhy) lines.push(`  leader: ${leaderWhy}`);
    return lines.join('\n');
  }

  return db;
}

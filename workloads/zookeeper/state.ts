// The divergence check's view of a ZooKeeper ensemble (workloads/divergence):
// once the faults are healed, every member's state, read through a session
// to that member alone (reads are served from the member's own copy) and
// compared at one common zxid.
//   1. open a session to each member (creating a session is itself a
//      transaction, so this comes first; a member still rejoining is retried);
//   2. rounds, a poll apart: on every member `sync` (it catches up with the
//      leader) and `srvr`; then its znode tree read and hashed, and `srvr`
//      again;
//   3. the first settled round (tree-rounds.ts: nothing moved during or
//      between the reads, every member at the same zxid) is reported: the
//      trees at that zxid. Trees that differ there are a verdict only with
//      a proof (lost-transactions.ts: a member reports a zxid past a
//      transaction its znodes never got); without one, no verdict.
// A tree too big to read within the budget (over TREE_LIMIT znodes: the set
// workload's, a znode per element) is not read: the members' digest logs
// (digest-log.ts) are, and agreeing digests at the latest zxid all of them
// logged are reported; differing ones are no verdict (settledReports).
// No settled round within the budget: the members' ops fail with the reason
// (the divergence checker says unknown), never a difference.
import { createHash } from 'node:crypto';
import type { StateReport } from '../../checkers/index.ts';
import { showValue, type StateSource } from '../divergence/index.ts';
import { latestCommonZxid, parseDigestLog } from './digest-log.ts';
import { describeLost, lostTransactions, type StampedZnode } from './lost-transactions.ts';
import { fourLetterWord, parseSrvr } from './four-letter.ts';
import { ZkSession } from './session.ts';
import { judgeRound, type TreeReading } from './tree-rounds.ts';

const POLL_MS = 200;
/** Most znodes read one by one, twice per member within the op's budget: 3000 took 0.75 s per member here, 25 000 took 6 s. */
export const TREE_LIMIT = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ZookeeperStateOptions {
  addresses: Record<string, string>;
  sessionTimeoutMs: number;
  /** Most znodes a tree may have to be read (default TREE_LIMIT). */
  treeLimit?: number;
}

/** A znode as read: path, data, version and the zxids that last changed it. */
export type Znode = StampedZnode;

/** A Stat's 64-bit zxid field (the library hands longs over as 8-byte buffers). */
const zxidOf = (field: Buffer): bigint => field.readBigInt64BE(0);

/** Every znode below `root` (ZooKeeper's own /zookeeper left out) with its data, version and stamps, in path order. */
export async function readTree(z: ZkSession, root = '/'): Promise<Znode[]> {
  const out: Znode[] = [];
  const walk = async (path: string): Promise<void> => {
    if (path === '/zookeeper') return;
    const [{ data, stat }, children] = await Promise.all([z.getData(path), z.getChildren(path)]);
    out.push({ path, version: stat.version, data: data ? data.toString('utf8') : '', mzxid: zxidOf(stat.mzxid), pzxid: zxidOf(stat.pzxid) });
    await Promise.all(children.map((c) => walk(path === '/' ? `/${c}` : `${path}/${c}`)));
  };
  await walk(root);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A tree's hash: path, version and data of every znode (the stamps only explain a difference). */
export function treeHash(tree: readonly Znode[]): string {
  const h = createHash('sha256');
  for (const n of tree) h.update(`${n.path}\t${n.version}\t${Buffer.from(n.data).toString('hex')}\n`);
  return h.digest('hex').slice(0, 16);
}

/** The report of one member's tree at `zxid`; the listing shows each znode's data, version and the transaction that set it. */
export function treeReport(node: string, zxid: bigint, tree: readonly Znode[], proof?: string): StateReport {
  const keys = tree.map((t): [string, string] => [t.path, `${showValue(t.data)} (v${t.version}, set by 0x${t.mzxid.toString(16)})`]);
  return { node, index: Number(zxid), hash: treeHash(tree), keys, keysIndex: Number(zxid), ...(proof ? { proof } : {}) };
}

/**
 * The trees' reports at a settled `zxid`. Trees that differ there are
 * reported (the checker names the members) only with the transactions the
 * lacking members lost as proof; a difference without one throws: no verdict.
 */
export function treeReports(members: ReadonlyArray<{ node: string; tree: readonly Znode[] }>, zxid: bigint): StateReport[] {
  if (new Set(members.map((m) => treeHash(m.tree))).size <= 1) return members.map((m) => treeReport(m.node, zxid, m.tree));
  const difference = lostTransactions(members.map((m) => ({ ...m, zxid })));
  if (!difference.proven.length) {
    throw new Error(`the members' trees differ at 0x${zxid.toString(16)}, but no znode shows a transaction a member lacks although it reports being past it (${'unexplained' in difference ? difference.unexplained : ''}): no verdict`);
  }
  return members.map((m) => {
    const lost = difference.proven.filter((l) => l.node === m.node);
    return treeReport(m.node, zxid, m.tree, lost.length ? lost.slice(0, 2).map(describeLost).join('; ') : undefined);
  });
}

/** What one member showed in a round. */
export interface Member {
  reading: TreeReading;
  /** Absent when the trees were too big to read. */
  tree?: Znode[];
  /** Read only without a tree; absent when the member gave none (the `hash` word not allowed). */
  digests?: Array<[number, string]>;
}

/**
 * A settled round's reports: the trees; or, when they were too big to read,
 * the digests at the latest zxid every member logged, and only when they
 * agree. A member replaying its log after a restart can compute digests
 * that do not match the leader's (its log says "digest mismatch"; seen here
 * in runs whose synced trees then agreed), so differing digests are no
 * verdict: they throw.
 */
export function settledReports(members: readonly Member[], zxid: bigint): StateReport[] {
  if (members.every((m) => m.tree)) return treeReports(members.map((m) => ({ node: m.reading.node, tree: m.tree! })), zxid);
  const logs = members.map((m) => m.digests);
  if (logs.some((l) => l === undefined)) throw new Error('trees too big to read, and some member gave no digest log');
  const common = latestCommonZxid(logs as Array<Array<[number, string]>>);
  if (common === undefined) throw new Error('trees too big to read, and the members\' digest logs share no zxid');
  const at = members.map((m) => [m.reading.node, m.digests!.find(([z]) => z === common)![1]] as const);
  if (new Set(at.map(([, d]) => d)).size > 1) {
    throw new Error(`trees too big to read, and the digests at 0x${common.toString(16)} differ (${at.map(([n, d]) => `${n} ${d}`).join(', ')}): ZooKeeper's digests can mismatch after a restart while the trees end up equal, so this is no verdict`);
  }
  return at.map(([node, digest]) => ({ node, index: common, hash: digest }));
}

export function zookeeperStateSource(o: ZookeeperStateOptions): StateSource {
  const nodes = Object.keys(o.addresses);
  const treeLimit = o.treeLimit ?? TREE_LIMIT;
  const sessions = new Map<string, ZkSession>();
  let collected: Promise<Map<string, StateReport>> | undefined;

  const remaining = (deadline: number) => Math.max(100, deadline - Date.now());
  const ask = (node: string, word: string, deadline: number) => fourLetterWord(o.addresses[node], word, Math.min(2000, remaining(deadline)));

  /** A session to every member, opening the missing ones (a member out of quorum refuses sessions). */
  async function openAll(deadline: number): Promise<void> {
    const missing = nodes.filter((n) => !sessions.has(n));
    const opened = await Promise.allSettled(missing.map((n) => ZkSession.open({ address: o.addresses[n], sessionTimeoutMs: o.sessionTimeoutMs, requestTimeoutMs: remaining(deadline) })));
    opened.forEach((r, i) => r.status === 'fulfilled' && sessions.set(missing[i], r.value));
    const failed = opened.findIndex((r) => r.status === 'rejected');
    if (failed >= 0) throw new Error(`no session to ${missing[failed]}: ${((opened[failed] as PromiseRejectedResult).reason as Error).message}`);
  }

  /** Run `step` on a member; a failure drops its session (the member may have dropped it) for a new one next round. */
  async function onMember<T>(node: string, step: (z: ZkSession) => Promise<T>): Promise<T> {
    const z = sessions.get(node)!;
    try {
      return await step(z);
    } catch (err) {
      z.close();
      sessions.delete(node);
      throw new Error(`${node}: ${(err as Error).message}`);
    }
  }

  async function readRound(deadline: number): Promise<Member[]> {
    await openAll(deadline);
    const synced = await Promise.all(
      nodes.map((n) =>
        onMember(n, async (z) => {
          await z.sync('/');
          return parseSrvr(await ask(n, 'srvr', deadline));
        }),
      ),
    );
    const withTrees = synced.every((s) => s.nodeCount !== undefined && s.nodeCount <= treeLimit);
    return Promise.all(
      nodes.map((n, i) =>
        onMember(n, async (z) => {
          const tree = withTrees ? await readTree(z) : undefined;
          const digests = tree ? undefined : parseDigestLog(await ask(n, 'hash', deadline));
          const zxidAfter = parseSrvr(await ask(n, 'srvr', deadline)).zxid;
          const hash = tree ? treeHash(tree) : (digests?.at(-1)?.join(':') ?? 'no digest');
          return { reading: { node: n, zxidBefore: synced[i].zxid, zxidAfter, hash }, ...(tree ? { tree } : {}), ...(digests ? { digests } : {}) };
        }),
      ),
    );
  }

  async function collect(deadline: number): Promise<Map<string, StateReport>> {
    let previous: TreeReading[] | undefined;
    let why = 'no round read';
    try {
      while (Date.now() < deadline) {
        try {
          const round = await readRound(deadline);
          const judgement = judgeRound(round.map((m) => m.reading), previous);
          if (judgement.settled) return new Map(settledReports(round, judgement.zxid).map((r) => [r.node, r]));
          why = judgement.why;
          previous = round.map((m) => m.reading);
        } catch (err) {
          why = (err as Error).message;
          previous = undefined;
        }
        await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
      }
      throw new Error(`no settled round of the members' states: ${why}`);
    } finally {
      for (const s of sessions.values()) s.close();
      sessions.clear();
    }
  }

  return {
    async commonIndex(deadline) {
      collected ??= collect(deadline);
      try {
        return [...(await collected).values()][0].index;
      } catch (err) {
        // The next member's op tries again with its own budget.
        collected = undefined;
        throw err;
      }
    },
    async report(node) {
      const r = (await collected!).get(node);
      if (r === undefined) throw new Error(`${node}: not a member`);
      return r;
    },
  };
}

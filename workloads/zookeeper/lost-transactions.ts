// What a difference between members' znode trees proves. Every znode
// carries the zxid of the transaction that last set its data (mzxid) and of
// the one that last changed its children (pzxid). Two members that applied
// the same transactions agree on both for every znode. So when member A's
// /k was last set by transaction T, member B's /k by an older one, and B
// reports it has applied every transaction up to Z >= T, then A and B did
// not apply the same transactions: one of them applied T and the other did
// not (which one is wrong the stamps cannot say: a minority that applied an
// uncommitted T looks the same). A child present on one member only shows
// the same way, on the parent's pzxid. Only znodes that differ (data,
// version or children) count as proof: a stamp alone can lag where ZooKeeper
// replays a fuzzy snapshot. A difference with no such proof (the larger zxid
// is past the other's reported Z: it may only be behind) is no verdict. Pure.

export interface StampedZnode {
  path: string;
  version: number;
  data: string;
  /** zxid of the transaction that last set the data (create or setData). */
  mzxid: bigint;
  /** zxid of the transaction that last created or deleted a child. */
  pzxid: bigint;
}

export interface MemberTree {
  node: string;
  /** The last zxid the member reports having applied. */
  zxid: bigint;
  tree: readonly StampedZnode[];
}

/** One transaction a member reports past, yet never applied to one znode. */
export interface LostTransaction {
  /** The member that lacks it. */
  node: string;
  /** The member that shows it. */
  shownBy: string;
  path: string;
  /** data: the znode's data was set by it; children: a child was created or deleted by it. */
  what: 'data' | 'children';
  zxid: bigint;
  /** The stamp the lacking member has instead. */
  has: bigint;
  /** The last zxid the lacking member reports. */
  reported: bigint;
}

export type TreeDifference = { proven: LostTransaction[] } | { proven: []; unexplained: string };

const hex = (z: bigint): string => `0x${z.toString(16)}`;

/** Every lost transaction the trees prove, or why their difference proves nothing. Call only with trees that differ. */
export function lostTransactions(members: readonly MemberTree[]): TreeDifference {
  const proven: LostTransaction[] = [];
  const pending: string[] = [];
  const byPath = members.map((m) => new Map(m.tree.map((z) => [z.path, z])));
  const children = members.map((m) => childLists(m.tree));
  members.forEach((a, i) =>
    members.forEach((b, j) => {
      if (i === j) return;
      for (const za of a.tree) {
        const zb = byPath[j].get(za.path);
        if (!zb) continue; // shows on the parent's pzxid, which both have unless the parent differs too
        for (const what of ['data', 'children'] as const) {
          const ta = what === 'data' ? za.mzxid : za.pzxid;
          const tb = what === 'data' ? zb.mzxid : zb.pzxid;
          if (ta <= tb) continue;
          const differs = what === 'data' ? za.version !== zb.version || za.data !== zb.data : children[i].get(za.path) !== children[j].get(za.path);
          if (!differs) continue;
          if (ta <= b.zxid) proven.push({ node: b.node, shownBy: a.node, path: za.path, what, zxid: ta, has: tb, reported: b.zxid });
          else pending.push(`${b.node}'s ${za.path} lacks ${hex(ta)}, past the ${hex(b.zxid)} it reports`);
        }
        if (za.mzxid === zb.mzxid && (za.data !== zb.data || za.version !== zb.version) && i < j) {
          pending.push(`${za.path} was last set by ${hex(za.mzxid)} on both ${a.node} and ${b.node}, yet reads differently`);
        }
      }
    }),
  );
  if (proven.length) return { proven };
  return { proven: [], unexplained: pending.length ? pending.slice(0, 3).join('; ') : 'no znode stamp differs where both members have the znode' };
}

/** Each znode's children, as one sorted, joined string, by parent path (a leaf has none listed). */
function childLists(tree: readonly StampedZnode[]): Map<string, string> {
  const out = new Map<string, string[]>();
  for (const z of tree) {
    if (z.path === '/') continue;
    const parent = z.path.slice(0, z.path.lastIndexOf('/')) || '/';
    out.set(parent, [...(out.get(parent) ?? []), z.path]);
  }
  return new Map([...out].map(([p, cs]) => [p, cs.sort().join('\n')]));
}

/** A lost transaction as a sentence, the proof in it, without blaming a side: the stamps show the two disagree, not which is right. */
export function describeLost(l: LostTransaction): string {
  const did = l.what === 'data' ? `set ${l.path}'s data` : `created or deleted a child of ${l.path}`;
  return (
    `${l.shownBy} applied transaction ${hex(l.zxid)}, which ${did}, and ${l.node} did not (its ${l.path} still stamped ${hex(l.has)}), ` +
    `though ${l.node} reports having applied every transaction up to ${hex(l.reported)}`
  );
}

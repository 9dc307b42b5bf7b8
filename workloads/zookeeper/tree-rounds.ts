// When the members' znode trees may be compared (pure; state.ts does the
// reading). A round is, for every member: `sync` on a session to it (it
// catches up with the leader), its tree read and hashed, and its last zxid
// (`srvr`) asked before and after the read. Trees are compared only when
// the round is settled:
//   - every member's zxid was the same before and after its read (no
//     transaction was applied while its tree was read),
//   - every member is at the same zxid,
//   - the previous round gave every member the same zxid and hash (nothing
//     moved between two rounds a poll apart).
// A member only behind (commits in flight, a session close still being
// applied) fails one of these and the reader waits; trees that still differ
// in a settled round differ at one zxid, which no lag explains.
// Otherwise the reason, for the run's record; never a verdict.

export interface TreeReading {
  node: string;
  zxidBefore: bigint;
  zxidAfter: bigint;
  hash: string;
}

export type RoundJudgement = { settled: true; zxid: bigint } | { settled: false; why: string };

const hex = (z: bigint): string => `0x${z.toString(16)}`;

export function judgeRound(current: readonly TreeReading[], previous: readonly TreeReading[] | undefined): RoundJudgement {
  if (current.length === 0) return { settled: false, why: 'no member read' };
  const moving = current.filter((r) => r.zxidBefore !== r.zxidAfter);
  if (moving.length) return { settled: false, why: `zxid moved during the read on ${moving.map((r) => `${r.node} (${hex(r.zxidBefore)} -> ${hex(r.zxidAfter)})`).join(', ')}` };
  const zxids = new Set(current.map((r) => r.zxidAfter));
  if (zxids.size > 1) return { settled: false, why: `members at different zxids: ${current.map((r) => `${r.node} ${hex(r.zxidAfter)}`).join(', ')}` };
  if (!previous) return { settled: false, why: 'one round read; waiting for a second to show nothing moves' };
  const changed = current.filter((r) => {
    const before = previous.find((p) => p.node === r.node);
    return !before || before.zxidAfter !== r.zxidAfter || before.hash !== r.hash;
  });
  if (changed.length) return { settled: false, why: `changed since the previous round: ${changed.map((r) => r.node).join(', ')}` };
  return { settled: true, zxid: current[0].zxidAfter };
}

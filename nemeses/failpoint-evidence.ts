// Whether an armed failpoint fired, from what was seen: the text the DB logs
// when it does (gofail's panic message, or the print a sleep starts with)
// and, for a panic, the process gone. Pure: failpoint.ts looks, this judges
// and words the history's record.
import type { FailpointAction, FailpointRole } from '../clusters/index.ts';
import type { Completion, FaultEffect } from '../history/index.ts';
import type { Random } from '../generator/index.ts';
import { evidence, withEffect } from './effect.ts';
import { describeAction } from './failpoint-options.ts';

export interface Armed {
  node: string;
  failpoint: string;
  action: FailpointAction;
  /** The member's role when armed. */
  role: 'leader' | 'follower';
  /** The DB's pid when armed; null when it had none. */
  pid: number | null;
}

export interface FireObservation {
  /** ms after arming when the fired text was first seen in the node's log (polled: an upper bound); null: not within the wait. */
  firedAfterMs: number | null;
  /** The process was gone at the end of the wait. */
  exited: boolean;
  waitedMs: number;
}

/**
 * The member to arm: the leader for a leader-only failpoint, a follower for
 * a follower-only one, any member otherwise. Undefined when it needs a
 * leader (to aim at it, or away from it) and none is known.
 */
export function chooseMember(fires: FailpointRole, nodes: readonly string[], leader: string | undefined, random: Random): { node: string; role: 'leader' | 'follower' } | undefined {
  const roleOf = (n: string): 'leader' | 'follower' => (n === leader ? 'leader' : 'follower');
  if (fires === 'leader') return leader === undefined ? undefined : { node: leader, role: 'leader' };
  if (fires === 'follower') {
    const followers = nodes.filter((n) => n !== leader);
    return leader === undefined || followers.length === 0 ? undefined : { node: random.pick(followers), role: 'follower' };
  }
  const node = random.pick(nodes);
  return { node, role: roleOf(node) };
}

/**
 * took-effect: it fired (a panic also took the process down); unverified:
 * not reached within the wait (it stays armed, and the stop looks again);
 * a panic whose process is gone without the panic text is unverified too
 * (something else ended it).
 */
export function fireEffect(mode: FailpointAction['mode'], seen: FireObservation): FaultEffect {
  if (seen.firedAfterMs === null) return 'unverified';
  return mode === 'sleep' || seen.exited ? 'took-effect' : 'unverified';
}

/** The start-failpoint completion: what was armed where, and whether it fired. */
export function armedCompletion(a: Armed, seen: FireObservation, variant: string): Completion {
  const what = `${a.failpoint}=${describeAction(a.action)}`;
  const fired = seen.firedAfterMs !== null;
  const outcome = fired
    ? `fired (seen ${seen.firedAfterMs} ms after arming)${a.action.mode === 'panic' ? (seen.exited ? `, pid ${a.pid} exited` : `, but pid ${a.pid} still runs`) : ''}`
    : `not reached within ${seen.waitedMs} ms${seen.exited ? `, yet pid ${a.pid} is gone` : ''}`;
  return withEffect(
    {
      fault: 'failpoint',
      nodes: [a.node],
      description: `armed ${what} on ${a.node} (${a.role})`,
      variant,
      failpoint: a.failpoint,
      action: a.action.mode,
      ...(a.action.mode === 'sleep' ? { sleepMs: a.action.ms } : {}),
      role: a.role,
      fired,
      firedAfterMs: seen.firedAfterMs,
      exited: seen.exited,
    },
    fireEffect(a.action.mode, seen),
    evidence(`${a.node}: ${what} ${outcome}`, { pid: a.pid, firedAfterMs: seen.firedAfterMs, exited: seen.exited, waitedMs: seen.waitedMs }),
  );
}

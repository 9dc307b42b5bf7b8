// Faults aimed at the leader (kill-leader, pause-leader, partition-leader,
// delay-leader) need a DB that can tell who leads. A defined system without a
// leader probe cannot (DB.leaderUnknown): a kind named whole (kill) keeps its
// other variants, a leader variant named on its own is refused before the
// run, like the Raft-aware kinds for a DB whose status lacks their fields.
import type { DB } from '../clusters/index.ts';
import { UserError } from '../history/index.ts';
import type { FaultChoice } from './fault.ts';

export const isLeaderTargeted = (c: FaultChoice): boolean => c.variant === 'leader';

type LeaderTraits = Pick<DB, 'name' | 'leaderUnknown'>;

function refuse(what: string, db: LeaderTraits): never {
  throw new UserError(
    `${what} aimed at the leader, but ${db.name} cannot tell which node leads: its definition has no \`leader\` probe`,
    'Add a `leader` probe to the system definition, or aim the fault elsewhere (kill-one, kill-minority, pause-majority, partition-halves, ...).',
  );
}

/** The choices a DB can take: for one that cannot tell who leads, without the leader variants; a leader variant named on its own is refused. */
export function leaderTargetsFor(names: readonly string[], choices: readonly FaultChoice[], db: LeaderTraits): FaultChoice[] {
  if (!db.leaderUnknown) return [...choices];
  const named = names.map((n) => n.trim()).filter((n) => choices.some((c) => isLeaderTargeted(c) && n === `${c.kind}-${c.variant}`));
  if (named.length > 0) refuse(`--nemesis ${named.join(',')} ${named.length === 1 ? 'is' : 'are'}`, db);
  return choices.filter((c) => !isLeaderTargeted(c));
}

/** Throws when leader-targeted choices remain for a DB that cannot tell who leads. */
export function assertLeaderKnown(choices: readonly FaultChoice[], db: LeaderTraits): void {
  const aimed = choices.filter(isLeaderTargeted);
  if (db.leaderUnknown && aimed.length > 0) refuse(`${aimed.map((c) => `${c.kind}-${c.variant}`).join(', ')} ${aimed.length === 1 ? 'is' : 'are'}`, db);
}

// Which faults of a schedule a run played. A scripted fault can take longer
// than its slot (crash-after-vote-late-votes plays 6-8 s whatever its
// length), the faults after it start late, and the run's time limit may end
// before some start at all: explore takes those back (Deck.putBack) rather
// than count them as tried. In one bench 9 of 128 scheduled faults never
// started (counted by hand in the 72 run folders it kept).
import type { History } from '../../history/index.ts';
import type { ScheduledFault } from '../../nemeses/index.ts';

/** The faults of `faults` (played in order, one at a time) whose start the history shows invoked, and the rest. */
export function playedFaults(faults: readonly ScheduledFault[], history: History): { played: ScheduledFault[]; unplayed: ScheduledFault[] } {
  const starts = history.filter((op) => op.process === 'nemesis' && op.type === 'invoke' && typeof op.f === 'string' && op.f.startsWith('start-')).length;
  return { played: faults.slice(0, starts), unplayed: faults.slice(starts) };
}

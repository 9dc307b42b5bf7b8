// The faults explore draws from unless told: the Raft-aware kinds (when this
// faultline has them) and the usual ones, each kept only when the DB supports it.
import { checkNemesesForDb, checkNemesesForNodes, NEMESIS_NAMES, parseNemesisOption, resolveNemeses, type FaultChoice, type NemesisDbTraits } from '../../nemeses/index.ts';
import { UserError } from '../../history/index.ts';

// Not message delay (raftkv only): tried in the mix, it found none of the mutants the mix missed
// (bench:explore, 2-minute budgets: 9 of 15 found with it, counted from the trial's log, against 10 of 15 without).
const DEFAULT_NEMESES = ['raft', 'partition', 'kill', 'pause', 'loss', 'clock'];

/** The --nemesis names explore uses, and the fault choices they stand for (checked against the DB). */
export function exploreNemeses(db: NemesisDbTraits, nodeCount: number, given?: string): { names: string[]; choices: FaultChoice[] } {
  const names = given === undefined ? DEFAULT_NEMESES.filter((n) => NEMESIS_NAMES.includes(n) && supported(n, db, nodeCount)) : parseNemesisOption(given);
  const choices = resolveNemeses(names);
  if (choices.length === 0) throw new UserError('explore needs at least one fault to draw from (--nemesis)');
  checkNemesesForDb(choices, db);
  checkNemesesForNodes(choices, nodeCount);
  return { names, choices };
}

function supported(name: string, db: NemesisDbTraits, nodeCount: number): boolean {
  try {
    checkNemesesForDb(resolveNemeses([name]), db);
    checkNemesesForNodes(resolveNemeses([name]), nodeCount);
    return true;
  } catch {
    return false;
  }
}

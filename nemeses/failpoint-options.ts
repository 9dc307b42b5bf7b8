// Which failpoints the failpoint nemesis may arm, and how: --failpoints
// names them (etcd's gofail names; default every one the DB has), the
// variant says the action (failpoint-panic, failpoint-sleep). Checked before
// the cluster starts, so a DB without them, a name it lacks or an action it
// cannot take is an error (exit 2), not a run of faults that never fire. Pure.
import { ETCD_FAILPOINTS } from '../clusters/index.ts';
import type { DB, FailpointAction } from '../clusters/index.ts';
import { UserError } from '../history/index.ts';
import { failpointsOf } from './failpoint-driver.ts';

/** A --nemesis choice (schedule.ts FaultChoice, written out: schedule.ts imports this file). */
type Choice = { kind: string; variant: string };

export const FAILPOINT_MODES = ['panic', 'sleep'] as const satisfies readonly FailpointAction['mode'][];

/** How long a sleep holds the process at each pass, ms: a slow disk or network, up to longer than an election timeout. */
export const FAILPOINT_SLEEPS_MS = [100, 300, 1000] as const;

/** Every name --failpoints accepts: etcd 3.4.23's. */
export const FAILPOINT_NAMES: readonly string[] = ETCD_FAILPOINTS.map((p) => p.name);

type Traits = Pick<DB, 'name' | 'failpoints' | 'armFailpoint'>;

/** Split `--failpoints a,b` (undefined or empty: every one the DB has). Unknown names are refused, naming the known ones. */
export function parseFailpointsOption(spec: string | readonly string[] | undefined): string[] | undefined {
  if (spec === undefined) return undefined;
  const names = [...new Set((typeof spec === 'string' ? [spec] : spec).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))];
  if (names.length === 0) return undefined;
  const unknown = names.filter((n) => !FAILPOINT_NAMES.includes(n));
  if (unknown.length > 0) throw new UserError(`--failpoints: unknown failpoint ${unknown.join(', ')}`, `Known (etcd 3.4.23's gofail names): ${FAILPOINT_NAMES.join(', ')}.`);
  return names;
}

const isFailpoint = (c: Choice): boolean => c.kind === 'failpoint';

/**
 * The failpoints a run draws from (the requested ones, or all the DB has)
 * and the choices it keeps: a bare `failpoint` drops the actions none of
 * them can take; a variant named on its own (failpoint-sleep) that none can
 * take is refused, as is a DB without failpoints or a name it lacks.
 */
export function failpointsFor<C extends Choice>(names: readonly string[], choices: readonly C[], requested: readonly string[] | undefined, db: Traits): { choices: C[]; failpoints: string[] } {
  if (!choices.some(isFailpoint)) return { choices: [...choices], failpoints: [] };
  const offered = failpointsOf(db)?.points;
  if (!offered) {
    throw new UserError(
      `--nemesis failpoint unsupported for ${db.name}: it has no failpoints`,
      'etcd has them in its failpoint build (faultline setup --etcd-failpoints); raftkv has raftBeforeLeaderSend (its crash-before-leader-send).',
    );
  }
  const lacking = (requested ?? []).filter((n) => !offered.some((p) => p.name === n));
  if (lacking.length > 0) {
    throw new UserError(
      `${db.name} has no failpoint ${lacking.join(', ')}${db.failpoints ? '' : ' (none of its crash points means that)'}`,
      `Its failpoints: ${offered.map((p) => `${p.name} (${p.modes.join('/')})`).join(', ')}.`,
    );
  }
  const points = offered.filter((p) => !requested || requested.includes(p.name));
  const canDo = (mode: string) => points.some((p) => (p.modes as readonly string[]).includes(mode));
  const named = names.map((n) => n.trim()).filter((n) => choices.some((c) => isFailpoint(c) && !canDo(c.variant) && n === `failpoint-${c.variant}`));
  if (named.length > 0) {
    throw new UserError(
      `--nemesis ${named.join(',')}: no failpoint of ${db.name} takes that action`,
      `Its failpoints: ${points.map((p) => `${p.name} (${p.modes.join('/')})`).join(', ')}.`,
    );
  }
  const kept = choices.filter((c) => !isFailpoint(c) || canDo(c.variant));
  return { choices: kept, failpoints: points.map((p) => p.name) };
}

/** The action of a start-failpoint op: the variant, and for a sleep its length. */
export function actionOf(variant: string, sleepMs: number | undefined): FailpointAction {
  return variant === 'panic' ? { mode: 'panic' } : { mode: 'sleep', ms: sleepMs ?? FAILPOINT_SLEEPS_MS[1] };
}

export const describeAction = (a: FailpointAction): string => (a.mode === 'panic' ? 'panic' : `sleep ${a.ms} ms`);

// What makes a history readable at all, checked when a file is read (every
// format, every command): a checker given a malformed history would answer
// valid or invalid about something that never happened, so such a file is
// refused instead, naming the op and what was expected.
//   - indexes, where given, are unique; times never run backwards where the
//     format promises a monotonic clock (faultline's own JSONL: Knossos and
//     Jepsen EDN order ops by position, and real ones have :time slightly out
//     of order);
//   - a process is a whole number (or 'nemesis', or a name);
//   - each completion closes the open invoke of its process, with the same f;
//   - a process invokes again only after its previous op completed.
// Jepsen's nemesis logs every step as :info, not as invoke/completion pairs,
// so pairing is not asked of process 'nemesis'.
import type { History } from './op.ts';

export interface StructureProblem {
  /** Position of the offending op in the history (0-based). */
  position: number;
  reason: string;
}

export interface StructureRules {
  /** Times must not run backwards (a history recorded with a monotonic clock). */
  monotonicTime?: boolean;
}

/** The first structural problem of a history, or undefined when it is well formed. */
export function structureProblem(history: History, rules: StructureRules = {}): StructureProblem | undefined {
  const seenIndexes = new Set<number>();
  const open = new Map<number | string, { position: number; f: string }>();
  for (let i = 0; i < history.length; i++) {
    const op = history[i];
    const fail = (reason: string): StructureProblem => ({ position: i, reason });
    if (typeof op.process === 'number' && !Number.isSafeInteger(op.process)) return fail(`process ${op.process} is not a whole number`);
    if (!Number.isFinite(op.time)) return fail(`time ${String(op.time)} is not a number`);
    if (rules.monotonicTime && i > 0 && op.time < history[i - 1].time) return fail(`time ${op.time} runs backwards (the op before is at ${history[i - 1].time})`);
    if (typeof op.index === 'number') {
      if (!Number.isSafeInteger(op.index) || op.index < 0) return fail(`index ${op.index} is not a whole number >= 0`);
      if (seenIndexes.has(op.index)) return fail(`index ${op.index} appears twice`);
      seenIndexes.add(op.index);
    }
    if (op.process === 'nemesis') continue;
    const prior = open.get(op.process);
    if (op.type === 'invoke') {
      if (prior) return fail(`process ${op.process} invokes ${op.f} while its ${prior.f} (op #${prior.position}) has not completed`);
      open.set(op.process, { position: i, f: op.f });
    } else {
      if (!prior) return fail(`${op.type} ${op.f} of process ${op.process} completes nothing: the process has no open invoke`);
      if (prior.f !== op.f) return fail(`${op.type} ${op.f} of process ${op.process} completes an invoke of ${prior.f} (op #${prior.position})`);
      open.delete(op.process);
    }
  }
  return undefined;
}

/** The first number in a value that JavaScript cannot hold exactly (an integer beyond ±2^53, or a bigint). */
export function inexactNumber(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value) ? String(value) : undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = inexactNumber(v);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value instanceof Set) return inexactNumber([...value]);
  if (value !== null && typeof value === 'object') return inexactNumber(Object.values(value));
  return undefined;
}

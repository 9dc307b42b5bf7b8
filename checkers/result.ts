// What every checker returns. `valid` is three-valued: a checker that ran out
// of time or memory says 'unknown' with a reason, it never guesses.
export type Validity = true | false | 'unknown';

export interface CheckResult {
  /** Checker name, e.g. 'linearizability', 'elle', 'bank', 'set', 'divergence'. */
  checker: string;
  valid: Validity;
  /** One line a person reads first: why invalid / why unknown / what was checked. */
  summary: string;
  /** Checker-specific evidence (counterexamples, anomalies, counts). JSON-serialisable. */
  details?: unknown;
}

/** Combine several verdicts: any false wins, then any unknown, else true. */
export function worstValidity(values: Iterable<Validity>): Validity {
  let sawUnknown = false;
  for (const v of values) {
    if (v === false) return false;
    if (v === 'unknown') sawUnknown = true;
  }
  return sawUnknown ? 'unknown' : true;
}

/** Exit code convention of every faultline command: 0 valid, 1 invalid, 2 unknown or error. */
export function exitCodeFor(valid: Validity): 0 | 1 | 2 {
  return valid === true ? 0 : valid === false ? 1 : 2;
}

/** results.json of a run folder: the overall verdict and every checker's result. */
export interface RunResults {
  valid: Validity;
  checkers: CheckResult[];
}

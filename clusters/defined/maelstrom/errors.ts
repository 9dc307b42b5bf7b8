// Maelstrom's error table (maelstrom/doc/protocol.md, "Errors"): each code
// and whether it is definite, i.e. the operation certainly did not happen.
// A client maps definite errors to fail and the rest to info; a code the
// table does not know is taken as indefinite (it may have happened).
export interface MaelstromErrorCode {
  name: string;
  definite: boolean;
}

export const MAELSTROM_ERRORS: Readonly<Record<number, MaelstromErrorCode>> = {
  0: { name: 'timeout', definite: false },
  1: { name: 'node-not-found', definite: true },
  10: { name: 'not-supported', definite: true },
  11: { name: 'temporarily-unavailable', definite: true },
  12: { name: 'malformed-request', definite: true },
  13: { name: 'crash', definite: false },
  14: { name: 'abort', definite: true },
  20: { name: 'key-does-not-exist', definite: true },
  21: { name: 'key-already-exists', definite: true },
  22: { name: 'precondition-failed', definite: true },
  30: { name: 'txn-conflict', definite: true },
};

/** Codes by name, for the places that send or test one. */
export const MAELSTROM_ERROR = {
  timeout: 0,
  notSupported: 10,
  temporarilyUnavailable: 11,
  malformedRequest: 12,
  crash: 13,
  keyDoesNotExist: 20,
  preconditionFailed: 22,
} as const;

/** Did the operation certainly not happen? Unknown codes: no (Maelstrom treats them as indefinite). */
export function isDefiniteError(code: number): boolean {
  return MAELSTROM_ERRORS[code]?.definite ?? false;
}

/** "precondition-failed (22): text", for completions and logs. */
export function describeError(code: unknown, text?: unknown): string {
  const known = typeof code === 'number' ? MAELSTROM_ERRORS[code] : undefined;
  const head = known ? `${known.name} (${code})` : `error code ${JSON.stringify(code)}`;
  return typeof text === 'string' && text !== '' ? `${head}: ${text}` : head;
}

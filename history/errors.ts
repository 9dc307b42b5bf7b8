// Errors a user can act on. The CLI prints their message (no stack trace)
// and exits 2, the "unknown or error" code.
export class UserError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** The message of anything thrown, for a one-line report. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

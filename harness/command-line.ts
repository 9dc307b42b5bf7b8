// Command lines as text a person can paste back into a POSIX shell.

/** Quotes argv so the line can be pasted into a POSIX shell. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_./=:@%+,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The command line to reproduce a run: argv with `--seed` pinned if it was not given. */
export function reproduceCommand(argv: readonly string[], seed: number): string {
  const pinned = argv.some((a) => a === '--seed' || a.startsWith('--seed=')) ? argv : [...argv, '--seed', String(seed)];
  return shellQuote(pinned);
}

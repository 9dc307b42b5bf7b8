// Named switches of the server's command line (seeded bugs, mutants): a table
// of known names, and the set the command line switched on.

/** The set of `names`, each checked against `table`; throws on an unknown one, listing the known ones. */
export function parseSwitches<K extends string>(table: Readonly<Record<K, unknown>>, names: readonly string[], what: string): ReadonlySet<K> {
  const on = new Set<K>();
  for (const name of names) {
    if (!Object.hasOwn(table, name)) {
      throw new Error(`unknown ${what} '${name}'; known: ${Object.keys(table).join(', ')}`);
    }
    on.add(name as K);
  }
  return on;
}

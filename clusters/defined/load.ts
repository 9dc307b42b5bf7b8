// Reading a system definition file: JSON or YAML, checked against the schema
// (schema.ts) and then for what a schema cannot say (check.ts). Every mistake
// is a UserError (exit 2) naming the file, the field and what was expected.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../../history/index.ts';
import { LIBFAKETIME } from '../docker/toolbox.ts';
import { definitionProblems, type HostView } from './check.ts';
import { describeIssues } from './issues.ts';
import { systemDefinitionSchema, type SystemDefinition } from './schema.ts';

export interface LoadedDefinition {
  def: SystemDefinition;
  /** The definition file, absolute. */
  file: string;
  /** Its folder: relative host paths in the definition start here. */
  dir: string;
  /** The definition as written (no defaults applied), for the run folder's system.json. */
  input: unknown;
}

/** How the file is named in messages: relative to the working folder when inside it. */
function shownFile(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** Line and column of a character offset, 1-based. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/** The file's text as data: JSON for .json, YAML for .yaml/.yml. Pure. */
export function parseDefinitionText(text: string, name: string): unknown {
  const ext = extname(name).toLowerCase();
  if (ext === '.json') {
    try {
      return JSON.parse(text);
    } catch (err) {
      const msg = (err as Error).message;
      const at = /position (\d+)/.exec(msg);
      throw new UserError(`${name}: not valid JSON${at ? ` at ${lineCol(text, Number(at[1]))}` : ''}: ${msg.replace(/ in JSON at position \d+.*$/, '')}`);
    }
  }
  if (ext === '.yaml' || ext === '.yml') {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length) {
      const first = doc.errors[0];
      const where = first.linePos?.[0] ? `line ${first.linePos[0].line}, column ${first.linePos[0].col}` : 'somewhere';
      throw new UserError(`${name}: not valid YAML at ${where}: ${first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    return doc.toJS();
  }
  throw new UserError(`${name}: a system definition is a .json, .yaml or .yml file`);
}

/** Check parsed data as a definition; `host` answers what is on this machine. Throws UserError listing every problem. */
export function validateDefinition(input: unknown, name: string, host: HostView): SystemDefinition {
  const parsed = systemDefinitionSchema.safeParse(input);
  const problems = parsed.success
    ? definitionProblems(parsed.data, host).map((p) => `${p.field}: ${p.message}`)
    : describeIssues(parsed.error.issues, systemDefinitionSchema, input);
  if (problems.length === 0 && parsed.success) return parsed.data;
  const [first, ...more] = problems;
  throw new UserError(
    `${name}: ${first}${more.map((p) => `\n${name}: ${p}`).join('')}`,
    'The definition reference: README.md, section "Test your own system" (editors can check the file against schema/system.schema.json).',
  );
}

/** The machine as the checks see it. */
export function hostView(dir: string): HostView {
  return {
    dir,
    kind: (path) => {
      if (!existsSync(path)) return undefined;
      return statSync(path).isDirectory() ? 'dir' : 'file';
    },
    hasLibfaketime: existsSync(LIBFAKETIME),
  };
}

/** Read, parse and check a definition file. */
export function loadDefinition(path: string): LoadedDefinition {
  const file = resolve(path);
  const name = shownFile(file);
  if (!existsSync(file)) throw new UserError(`${name}: no such file`);
  if (statSync(file).isDirectory()) throw new UserError(`${name}: a folder; name the definition file in it (e.g. ${name}/system.json)`);
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') throw new UserError(`${name}: the file is empty; a definition names at least name, image, node, client and workloads`);
  const input = parseDefinitionText(text, name);
  const dir = dirname(file);
  const def = validateDefinition(input, name, hostView(dir));
  return { def, file, dir, input };
}

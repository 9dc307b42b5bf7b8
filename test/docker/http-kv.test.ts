// The http-kv protocol end to end, as a user runs it: faultline's own raftkv
// server described by one definition file (examples/raftkv-http/system.json:
// its image made by image.prepare, its HTTP API by request templates and
// answer conditions) under partitions and kills is linearizable and its
// nodes agree; the same definition with raftkv's stale-read bug switched on
// in node.command is caught by the linearizability checker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import type { RunResults } from '../../checkers/result.ts';
import { CLI, faultline, REPO_ROOT } from '../support/cli.ts';

const EXAMPLE = join(REPO_ROOT, 'examples/raftkv-http/system.json');
const scratch = mkdtempSync(join(tmpdir(), 'faultline-http-kv-'));
const store = join(scratch, 'store');

beforeAll(async () => {
  await ensureEnvironment();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  exitCode: number | undefined;
  dir: string;
  results: RunResults;
  /** Completed client ops by f and type, e.g. 'cas ok'. */
  counts: Record<string, number>;
  why: string;
}

async function test(system: string, args: string[]): Promise<Run> {
  const r = await faultline(['test', '--system', system, '--workload', 'register', '--nodes', '3', '--json', '--store', store, ...args], { timeoutMs: 170_000 });
  const lines = String(r.stdout).trim().split('\n');
  let run: { dir: string; results: RunResults };
  try {
    run = JSON.parse(lines[lines.length - 1]);
  } catch {
    throw new Error(`faultline test printed no run (exit ${r.exitCode}):\n${String(r.stdout).slice(-2000)}\n${String(r.stderr).slice(-3000)}`);
  }
  const counts: Record<string, number> = {};
  for (const line of readFileSync(join(run.dir, 'history.jsonl'), 'utf8').split('\n').filter(Boolean)) {
    const op = JSON.parse(line) as { process: unknown; type: string; f: string; error?: unknown };
    if (op.process === 'nemesis' || op.type === 'invoke') continue;
    const kind = op.error === 'cas-mismatch' ? 'cas-mismatch' : `${op.f} ${op.type}`;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  const why = `${run.dir}\n${JSON.stringify(counts)}\n${run.results.checkers.map((c) => `${c.checker}: ${c.valid} ${c.summary.slice(0, 300)}`).join('\n')}\n${String(r.stderr).slice(-2000)}`;
  return { exitCode: r.exitCode, ...run, counts, why };
}

const verdict = (run: Run, checker: string) => run.results.checkers.find((c) => c.checker === checker)?.valid;

describe('http-kv: raftkv through its HTTP API, described by a definition file', () => {
  it('is linearizable under partitions and kills, with real reads, writes and compare-and-sets', async () => {
    const run = await test(EXAMPLE, ['--nemesis', 'partition,kill', '--time-limit', '20', '--nemesis-interval', '4s', '--seed', '1']);
    expect(run.exitCode, run.why).toBe(0);
    expect(verdict(run, 'linearizability'), run.why).toBe(true);
    expect(verdict(run, 'divergence'), run.why).toBe(true);
    // Not valid by having done nothing: every kind of op succeeded, cas mismatches came back as definite fails.
    for (const done of ['read ok', 'write ok', 'cas ok', 'cas-mismatch']) expect(run.counts[done] ?? 0, `${done}\n${run.why}`).toBeGreaterThan(3);
    expect(run.counts['read ok'] + run.counts['write ok'] + run.counts['cas ok'], run.why).toBeGreaterThan(100);
  });

  it('catches raftkv\'s stale-read bug switched on in node.command: exit 1, by the linearizability checker', async () => {
    // The same definition in a folder of its own: the bug flag added, prepare pointed at this checkout's CLI.
    const def = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
    def.node.command.push('--bug', 'stale-read');
    def.image.prepare = ['node', CLI, 'raftkv-bundle', 'server.mjs'];
    delete def.$schema;
    const dir = mkdtempSync(join(scratch, 'stale-read-'));
    writeFileSync(join(dir, 'system.json'), JSON.stringify(def, null, 2));
    // raftkv's stale-read recipe (cli/recipes): isolated nodes keep answering reads from their own state.
    const attempt = (seed: number) =>
      test(join(dir, 'system.json'), ['--nemesis', 'partition-one,partition-leader,partition-halves', '--nemesis-interval', '2s', '--time-limit', '10', '--seed', String(seed)]);
    let run = await attempt(1);
    if (run.exitCode !== 1) run = await attempt(2); // the recipe catches it in most seeded runs, not all
    expect(run.exitCode, run.why).toBe(1);
    expect(verdict(run, 'linearizability'), run.why).toBe(false);
  });
});

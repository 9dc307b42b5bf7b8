// Maelstrom-protocol nodes under real faults, end to end through the CLI
// (`faultline test --system`): the Python examples in containers behind
// faultline's shim, with partitions and kills. The primary store is
// linearizable and must come out valid; the local-read store is caught with a
// linearizability counterexample; a node that writes garbage on stdout is
// refused with exit 2, a message that says what to fix, and nothing left
// behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import { docker } from '../../clusters/docker/engine.ts';
import type { RunResults } from '../../checkers/result.ts';
import type { LinearizabilityDetails } from '../../checkers/linearizability/result.ts';
import { faultline } from '../support/cli.ts';

const store = mkdtempSync(join(tmpdir(), 'faultline-maelstrom-'));
const FAULTS = ['--nodes', '3', '--workload', 'register', '--nemesis', 'partition,kill', '--nemesis-interval', '3s', '--op-timeout', '1000', '--time-limit', '30'];

/** The run folder `faultline test --json` names on its last line, and its results. */
function lastRun(stdout: string): { dir: string; results: RunResults } {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as { dir: string; results: RunResults };
}

/** Containers and networks of runs of the system named `name` (other runs may be going on beside this test's). */
async function objectsOf(name: string): Promise<string[]> {
  const filters = { label: [`faultline.db=${name}`] };
  const containers = await docker().listContainers({ all: true, filters });
  const networks = await docker().listNetworks({ filters });
  return [...containers.map((c) => c.Names[0]), ...networks.map((n) => n.Name)];
}

beforeAll(async () => {
  await ensureEnvironment();
});

afterAll(() => {
  rmSync(store, { recursive: true, force: true });
});

describe('Maelstrom nodes in containers (faultline test --system)', () => {
  it('the fixed-primary store is linearizable under partitions and kills: exit 0', async () => {
    const r = await faultline(['test', '--system', 'examples/maelstrom-primary/system.json', ...FAULTS, '--seed', '1', '--store', store, '--json'], { timeoutMs: 170_000 });
    const { dir, results } = lastRun(String(r.stdout));
    const why = `${dir}\n${results.checkers.map((c) => `${c.checker}: ${c.valid} ${c.summary.slice(0, 300)}`).join('\n')}\n${String(r.stderr).slice(-2000)}`;
    expect(r.exitCode, why).toBe(0);
    expect(results.checkers.find((c) => c.checker === 'linearizability')?.valid, why).toBe(true);
    // The faults did something: every requested kind took effect (else the run would be unknown, exit 2).
    expect(results.checkers.find((c) => c.checker === 'faults')?.valid, why).toBe(true);
    const history = readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; process: unknown; f: string; node?: string });
    const ok = history.filter((o) => o.type === 'ok' && o.process !== 'nemesis');
    expect(ok.length, why).toBeGreaterThan(200);
    // Every node served clients: n2 and n3 through the primary, over the shims' UDP.
    expect(new Set(ok.map((o) => o.node))).toEqual(new Set(['n1', 'n2', 'n3']));
    expect(history.some((o) => o.process === 'nemesis' && o.f === 'start-kill')).toBe(true);
    // The node's stderr and the shim's own log are kept with the run.
    const n1 = readdirSync(join(dir, 'nodes', 'n1'));
    expect(n1).toEqual(expect.arrayContaining(['maelstrom-primary.log', 'faultline-shim.log']));
    expect(readFileSync(join(dir, 'nodes', 'n1', 'maelstrom-primary.log'), 'utf8')).toMatch(/\[faultline-shim .*\] pid \d+ answered init/);
  });

  it('the local-read store is caught: exit 1 and a linearizability counterexample', async () => {
    const r = await faultline(['test', '--system', 'examples/maelstrom-stale/system.json', ...FAULTS, '--seed', '1', '--store', store, '--json'], { timeoutMs: 170_000 });
    const { dir, results } = lastRun(String(r.stdout));
    const why = `${dir}\n${results.checkers.map((c) => `${c.checker}: ${c.valid} ${c.summary.slice(0, 300)}`).join('\n')}\n${String(r.stderr).slice(-2000)}`;
    expect(r.exitCode, why).toBe(1);
    const lin = results.checkers.find((c) => c.checker === 'linearizability')!;
    expect(lin.valid, why).toBe(false);
    const details = lin.details as LinearizabilityDetails;
    const failing = details.partitions.filter((p) => p.valid === false);
    expect(failing.length, why).toBeGreaterThan(0);
    expect(failing[0].counterexample, why).toBeDefined();
    // Only the linearizability checker blames the store.
    expect(results.checkers.filter((c) => c.valid === false).map((c) => c.checker)).toEqual(['linearizability']);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('linearizab');
  });

  it('a node that writes garbage on stdout: exit 2, the line quoted and what Maelstrom expects, nothing left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-maelstrom-garbage-'));
    try {
      const file = join(dir, 'system.json');
      writeFileSync(file, JSON.stringify({
        name: 'chatty-node',
        image: { files: [] },
        node: { command: ['/bin/sh', '-c', 'echo "Starting chatty node on port 9000"; sleep 60'] },
        client: { protocol: 'maelstrom' },
        workloads: ['register'],
      }));
      const r = await faultline(['test', '--system', file, '--workload', 'register', '--nemesis', 'none', '--time-limit', '5', '--store', store], { timeoutMs: 120_000 });
      const out = `${String(r.stdout)}\n${String(r.stderr)}`;
      expect(r.exitCode, out).toBe(2);
      expect(out).toContain('wrote a line to stdout that is not a Maelstrom message (it is not JSON): "Starting chatty node on port 9000"');
      expect(out).toMatch(/one per line/);
      expect(out).toMatch(/stderr/);
      expect(await objectsOf('chatty-node')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

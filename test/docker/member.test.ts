// Membership changes and storage maintenance on real etcd 3.4 containers,
// through whole `faultline test` runs: members removed, wiped and added back
// (and a 5-member cluster shrunk to 3 and grown back, and members replaced
// by new containers) under a register load
// stay linearizable, each change proven by the member lists etcd gave before
// and after; a watch run under partitions, kills, member changes and
// compactions keeps every watch guarantee.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHistoryFile } from '../../history/formats/index.ts';
import type { FaultValue, Op } from '../../history/op.ts';
import { faultline } from '../support/cli.ts';

type Lists = { before: Record<string, string>; after: Record<string, string> };
const lists = (v: FaultValue): Lists => v.evidence as unknown as Lists;

async function run(args: string[]): Promise<{ dir: string; nemesis: Op[] }> {
  const store = mkdtempSync(join(tmpdir(), 'faultline-store-'));
  const r = await faultline(['test', '--db', 'etcd', ...args, '--store', store], { timeoutMs: 170_000 });
  expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(0);
  const [test] = readdirSync(store).filter((d) => d !== 'latest');
  const [runDir] = readdirSync(join(store, test));
  const dir = join(store, test, runDir);
  return { dir, nemesis: readHistoryFile(join(dir, 'history.jsonl')).filter((op) => op.process === 'nemesis' && op.type !== 'invoke') };
}

describe('etcd membership changes', () => {
  it('readd and shrink/grow under a register load: linearizable, every change in etcd\'s own member list', async () => {
    const { dir, nemesis } = await run(['--nodes', '5', '--workload', 'register', '--nemesis', 'member-readd,member-shrink', '--time-limit', '25', '--nemesis-interval', '4s', '--rate', '50', '--seed', '3']);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.valid).toBe(true);
    const starts = nemesis.filter((op) => op.f === 'start-member').map((op) => op.value as FaultValue);
    const readd = starts.find((v) => v.variant === 'readd');
    const shrink = starts.find((v) => v.variant === 'shrink');
    expect(readd, JSON.stringify(starts)).toMatchObject({ effect: 'took-effect' });
    // Re-added under a new member id, read back from etcd.
    const [node] = readd!.nodes;
    const ev = lists(readd!);
    expect(ev.after[node]).toBeDefined();
    expect(ev.after[node]).not.toBe(ev.before[node]);
    // Shrunk 5 -> 3, and grown back to 5 by its stop (or the final heal).
    expect(shrink, JSON.stringify(starts)).toMatchObject({ effect: 'took-effect' });
    expect(Object.keys(lists(shrink!).after)).toHaveLength(3);
    const grows = nemesis.filter((op) => op.f === 'stop-member' && (op.value as FaultValue).nodes.length > 0);
    for (const g of grows) expect(Object.keys(lists(g.value as FaultValue).after)).toHaveLength(5);
  });

  it('replace under a register load: each replaced member on a new container at its address, under a new member id, linearizable', async () => {
    const { dir, nemesis } = await run(['--nodes', '3', '--workload', 'register', '--nemesis', 'member-replace', '--time-limit', '20', '--nemesis-interval', '4s', '--seed', '2']);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.valid, JSON.stringify(results.checkers.map((c: { summary: string }) => c.summary))).toBe(true);
    const replaced = nemesis.filter((op) => op.f === 'start-member').map((op) => op.value as FaultValue);
    expect(replaced.length).toBeGreaterThan(0);
    for (const v of replaced) {
      expect(v, JSON.stringify(v)).toMatchObject({ variant: 'replace', effect: 'took-effect' });
      const [node] = v.nodes;
      const ev = v.evidence as unknown as Lists & { machines: Record<string, string> };
      expect(ev.after[node]).not.toBe(ev.before[node]);
      // "old -> new": two different containers, the new one alive at the end (the node's log spans both).
      const [oldId, newId] = ev.machines[node].split(' -> ');
      expect(newId).not.toBe(oldId);
    }
    // The node's log (its folder outlives each container) shows one start joining the existing cluster per replace.
    const node = replaced[0].nodes[0];
    const joins = readFileSync(join(dir, 'nodes', node, 'etcd.log'), 'utf8').match(/"initial-cluster-state":"existing"/g) ?? [];
    expect(joins.length).toBeGreaterThanOrEqual(replaced.filter((v) => v.nodes[0] === node).length);
  });

  // The final heal reads the member list, which needs a live member: it must come after the resume and the restarts.
  it.each(['pause-all', 'kill-all'])('a run that ends inside %s heals: every member back, the faults checker valid', async (kind) => {
    const { dir, nemesis } = await run(['--nodes', '3', '--workload', 'register', '--nemesis', kind, '--nemesis-interval', '4s', '--time-limit', '6', '--seed', '1']);
    const starts = nemesis.filter((op) => op.f.startsWith('start-'));
    const stops = nemesis.filter((op) => op.f.startsWith('stop-') && op.f !== 'stop-all');
    expect(starts.length, 'the fault is in force when the run ends').toBe(stops.length + 1);
    const heal = nemesis.find((op) => op.f === 'stop-all')!.value as FaultValue;
    expect(heal.effect, String(heal.evidence?.summary)).toBe('took-effect');
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.checkers.find((c: { checker: string }) => c.checker === 'faults').valid).toBe(true);
  });

  it('faultline test --workload watch --nemesis partition,kill,member,compact: every watch guarantee holds', async () => {
    const { dir, nemesis } = await run(['--nodes', '3', '--workload', 'watch', '--nemesis', 'partition,kill,member,compact', '--time-limit', '30', '--nemesis-interval', '2s', '--seed', '7']);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.valid).toBe(true);
    const kinds = new Set(nemesis.filter((op) => op.f.startsWith('start-') && (op.value as FaultValue | null)?.effect === 'took-effect').map((op) => op.f));
    expect([...kinds].sort(), JSON.stringify([...kinds])).toEqual(expect.arrayContaining(['start-member']));
  });
});

// `faultline repro` as a user runs it: the list, machine-readable catalog,
// an explanation, and an unknown name (exit 2, naming the known ones).
import { describe, expect, it } from 'vitest';
import { faultline } from '../support/cli.ts';
import { RECIPE_NAMES } from '../../cli/recipes/index.ts';

describe('faultline repro', () => {
  it('--list names every recipe with its expectation', async () => {
    const r = await faultline(['repro', '--list']);
    expect(r.exitCode).toBe(0);
    for (const name of RECIPE_NAMES) expect(r.stdout).toContain(name);
    expect(r.stdout).toContain('caught by divergence');
  });

  it('--list --json prints the catalog with each command line', async () => {
    const r = await faultline(['repro', '--list', '--json']);
    expect(r.exitCode).toBe(0);
    const list = JSON.parse(String(r.stdout)) as Array<{ name: string; explanation: string; command: string[] }>;
    expect(list.map((x) => x.name)).toEqual(RECIPE_NAMES);
    const race = list.find((x) => x.name === 'raftkv-apply-index-race')!;
    expect(race.command.slice(0, 4)).toEqual(['faultline', 'test', '--db', 'raftkv']);
    expect(race.command).toContain('apply-index-race');
  });

  it('--explain prints the story and the equivalent faultline test line, with overrides', async () => {
    const r = await faultline(['repro', 'etcd-lock-pause', '--explain', '--seed', '9', '--time-limit', '12']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Jepsen');
    expect(r.stdout).toContain('faultline test --db etcd --workload lock');
    expect(r.stdout).toContain('--time-limit 12 --seed 9');
  });

  it('an unknown name exits 2 and lists the known recipes', async () => {
    const r = await faultline(['repro', 'raftkv-nope']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown recipe "raftkv-nope"');
    for (const name of RECIPE_NAMES) expect(r.stderr).toContain(name);
  });

  it('no name and no --list exits 2', async () => {
    const r = await faultline(['repro']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--list');
  });
});

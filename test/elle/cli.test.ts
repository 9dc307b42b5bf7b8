// `faultline check FILE --checker elle --consistency-models ...`, end to end.
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Op } from '../../history/op.ts';
import { history, historyInOrder } from './helpers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const file = path.resolve(repoRoot, '../shared/corpus/elle/si-without-g-single.edn');
const faultline = (...args: string[]) => execa('node', [path.join(repoRoot, 'bin/faultline.mjs'), ...args], { reject: false, cwd: repoRoot });

describe('faultline check --checker elle', () => {
  it('exit 1 with the explanation when a requested model is ruled out, 0 when not', async () => {
    const bad = await faultline('check', file, '--checker', 'elle', '--consistency-models', 'repeatable-read');
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain('INVALID');
    expect(bad.stdout).toContain('ruled out: repeatable-read');
    expect(bad.stdout).toMatch(/: a contradiction\./);
    const good = await faultline('check', file, '--checker', 'elle', '--consistency-models', 'snapshot-isolation', '--json');
    expect(good.exitCode).toBe(0);
    const json = JSON.parse(good.stdout);
    expect(json.result.details.anomalyTypes).toEqual(['G2-item']);
  });

  it('an unknown model is a user error (exit 2)', async () => {
    const r = await faultline('check', file, '--checker', 'elle', '--consistency-models', 'bogus');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown consistency model 'bogus'");
  });
});

describe('faultline check --checker elle: workload, anomalies, inference options, empty histories', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-elle-cli-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const jsonl = (name: string, ops: Op[]) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, ops.map((o) => JSON.stringify(o)).join('\n') + '\n');
    return f;
  };

  it('a read-only history needs --workload (exit 2, saying so); with it, it is checked', async () => {
    const f = jsonl('reads.jsonl', history([{ value: [['r', 'x', 3]] }, { value: [['r', 'x', 3]] }], 'sequential'));
    const refused = await faultline('check', f, '--checker', 'elle');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/cannot tell the workload/);
    expect(refused.stderr).toMatch(/--workload list-append or --workload rw-register/);
    const named = await faultline('check', f, '--checker', 'elle', '--workload', 'rw-register', '--json');
    expect(named.exitCode).toBe(1);
    const json = JSON.parse(named.stdout);
    expect(json.result.details.workload).toBe('rw-register');
    expect(json.result.summary).toMatch(/^rw-register: not strict-serializable: garbage-read/);
    const bogus = await faultline('check', f, '--checker', 'elle', '--workload', 'bogus');
    expect(bogus.exitCode).toBe(2);
  });

  it('a history without transactions is unknown (exit 2): no transactions to check', async () => {
    const f = jsonl('registers.jsonl', [
      { index: 0, time: 0, process: 0, type: 'invoke', f: 'write', value: 1 },
      { index: 1, time: 1, process: 0, type: 'ok', f: 'write', value: 1 },
    ]);
    const r = await faultline('check', f, '--checker', 'elle');
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/^unknown .*no transactions to check/);
  });

  it('--anomalies: an anomaly asked for fails the check (exit 1); an unknown name is a user error (exit 2)', async () => {
    const asked = await faultline('check', file, '--checker', 'elle', '--consistency-models', 'snapshot-isolation', '--anomalies', 'G2-item', '--json');
    expect(asked.exitCode).toBe(1);
    expect(JSON.parse(asked.stdout).result.details.anomaliesFound).toEqual(['G2-item']);
    const bogus = await faultline('check', file, '--checker', 'elle', '--anomalies', 'G7');
    expect(bogus.exitCode).toBe(2);
    expect(bogus.stderr).toContain("unknown anomaly 'G7'");
  });

  it('--sequential-keys, --wfr-keys and --linearizable-keys reach the rw-register analysis', async () => {
    const f = jsonl(
      'registers-by-process.jsonl',
      historyInOrder(
        [
          { value: [['w', 'x', 1]], process: 0 },
          { value: [['w', 'x', 2], ['w', 'y', 1]], process: 0 },
          { value: [['r', 'y', 1], ['r', 'x', 1]], process: 1 },
        ],
        'i0 c0 i1 i2 c2 c1',
      ),
    );
    const plain = await faultline('check', f, '--checker', 'elle', '--consistency-models', 'serializable');
    expect(plain.exitCode).toBe(0);
    const sequential = await faultline('check', f, '--checker', 'elle', '--consistency-models', 'serializable', '--sequential-keys', '--json');
    expect(sequential.exitCode).toBe(1);
    expect(JSON.parse(sequential.stdout).result.details.anomalyTypes).toEqual(['G-single']);
    const all = await faultline('check', f, '--checker', 'elle', '--consistency-models', 'serializable', '--wfr-keys', '--linearizable-keys', '--json');
    expect(all.exitCode).toBe(1);
    expect(JSON.parse(all.stdout).result.details.limits[0]).toMatch(/writes that follow reads and per-key real-time order/);
  });
});

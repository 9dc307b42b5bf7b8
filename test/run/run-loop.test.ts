import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pairOps, readHistory } from '../../history/index.ts';
import { checkWellFormed } from '../../checkers/well-formed.ts';
import type { Op } from '../../history/op.ts';
import { runTest, type RunPhase } from '../../harness/run/index.ts';
import { readTestRecord } from '../../harness/run-folder/index.ts';
import { MemoryCluster, MemoryNemesis, memoryTest, partitionPlan, type Behaviour } from '../support/memdb.ts';
import { concat, once, sleep, ms } from '../../generator/index.ts';

const store = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-run-'));
afterAll(() => fs.rmSync(store, { recursive: true, force: true }));

const quiet = { store, status: 'off', handleSignals: false } as const;

describe('a run against the in-memory DB', () => {
  it('writes test.json, history.jsonl, results.json, node logs and store/latest', async () => {
    const db = new MemoryCluster();
    const out = await runTest(memoryTest(db, { timeLimit: 0.3, options: { flag: 'x' } }), { ...quiet, command: ['faultline', 'test', '--db', 'memory'] });
    expect(out.results.valid).toBe(true);
    expect(fs.realpathSync(path.join(store, 'latest'))).toBe(fs.realpathSync(out.dir));
    expect(path.basename(out.dir)).toMatch(/^\d{8}T\d{6}\.\d{3}(-\d+)?$/);
    const rec = readTestRecord(out.dir);
    expect(rec).toMatchObject({ name: 'memory-register', db: 'memory', dbVersion: 'memory-1', seed: 1, concurrency: 5, checkers: [{ name: 'history' }, { name: 'linearizability', config: { model: 'cas-register' } }], options: { flag: 'x' } });
    expect(rec.command).toBe('faultline test --db memory --seed 1');
    expect(rec.kernel).toBe(os.release());
    const history = readHistory(path.join(out.dir, 'history.jsonl'));
    expect(history).toEqual(out.history);
    expect(history.length).toBeGreaterThan(100);
    expect(checkWellFormed(history).valid).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(out.dir, 'results.json'), 'utf8'))).toEqual(out.results);
    expect(fs.existsSync(path.join(out.dir, 'nodes', 'n3', 'memory.log'))).toBe(true);
    expect(db.calls).toEqual(['setup', 'waitHealthy', 'waitHealthy', 'collectLogs', 'teardown']);
    // Every op carries what the brief asks for.
    expect(history.every((op) => op.time >= 0 && typeof op.node === 'string')).toBe(true);
  });

  it('binds workers to nodes round-robin', async () => {
    const db = new MemoryCluster();
    const out = await runTest(memoryTest(db, { timeLimit: 0.2, concurrency: 7 }), quiet);
    expect(out.history.filter((op) => op.node !== db.nodes[((op.process as number) % 7) % 5])).toEqual([]);
  });

  it('renumbers a process after info (old + concurrency) with a fresh client, not after fail', async () => {
    let n = 0;
    const fates: Behaviour[] = ['apply', 'fail', 'apply', 'info', 'apply', 'throw', 'apply'];
    const db = new MemoryCluster({ behaviour: () => fates[n++ % fates.length] });
    const concurrency = 3;
    const test = memoryTest(db, { timeLimit: 0.3, concurrency });
    delete test.workload.finalGenerator; // extra final-phase workers (5 nodes > 3) get fresh numbers
    const out = await runTest(test, quiet);
    const h = out.history;
    const infos = h.filter((o) => o.type === 'info');
    expect(infos.length).toBeGreaterThan(20);
    expect(infos.some((o) => o.error === 'connection reset by peer')).toBe(true);
    expect(h.some((o) => o.type === 'fail')).toBe(true);

    // Per worker (process mod concurrency): consecutive ops use the same
    // process unless the previous one ended in info, then it is + concurrency.
    const byWorker = new Map<number, Op[]>();
    for (const p of pairOps(h)) {
      const w = (p.invoke.process as number) % concurrency;
      if (!byWorker.has(w)) byWorker.set(w, []);
      byWorker.get(w)!.push(p.completion!);
    }
    let reopened = 0;
    for (const [w, completions] of byWorker) {
      expect(completions[0].process).toBe(w);
      for (let i = 1; i < completions.length; i++) {
        const prev = completions[i - 1];
        if (prev.type === 'info') reopened++;
        const expected = prev.type === 'info' ? (prev.process as number) + concurrency : prev.process;
        expect(completions[i].process).toBe(expected);
      }
    }
    // A fresh client per info (opened before the worker's next op).
    expect(reopened).toBeGreaterThan(20);
    expect(db.opens).toBe(concurrency + reopened);
    expect(checkWellFormed(h).valid).toBe(true);
  });

  it('times out hung requests as info; heals and reads through every node, healAll before the final reads', async () => {
    const db = new MemoryCluster();
    const phases: RunPhase[] = [];
    const events: string[] = [];
    const behaviour = db.opts;
    let finalPhase = false;
    behaviour.behaviour = (op, node) => {
      if (finalPhase) events.push(`${op.f}@${node}`);
      return 'apply';
    };
    const started = Date.now();
    const out = await runTest(memoryTest(db, { timeLimit: 0.8, concurrency: 2, nemesis: partitionPlan(db, 0.2) }), {
      ...quiet,
      opTimeoutMs: 150,
      onEvent: (e) => {
        if (e.type !== 'phase') return;
        phases.push(e.phase);
        if (e.phase === 'final') {
          finalPhase = true;
          events.push(`healAll called: ${db.calls.includes('healAll')}`);
        }
      },
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(phases).toEqual(['main', 'heal', 'recover', 'final', 'teardown', 'check', 'done']);
    const h = out.history;
    const timeouts = h.filter((o) => o.type === 'info' && /timed out after 150 ms/.test(o.error ?? ''));
    expect(timeouts.length).toBeGreaterThan(0);

    // Nemesis ops: process 'nemesis', start/stop pairs, a final stop-all.
    const nemesis = h.filter((o) => o.process === 'nemesis');
    expect(nemesis.map((o) => o.f).slice(0, 4)).toEqual(['start-partition', 'start-partition', 'stop-partition', 'stop-partition']);
    expect(nemesis.at(-1)).toMatchObject({ f: 'stop-all', type: 'ok' });
    // healAll, then waitHealthy, then final reads: on all 5 nodes though only 2 workers.
    const healAt = db.calls.lastIndexOf('healAll');
    expect(healAt).toBeGreaterThan(0);
    expect(db.calls.slice(healAt)).toEqual(['healAll', 'waitHealthy', 'collectLogs', 'teardown']);
    expect(events[0]).toBe('healAll called: true');
    expect(events.slice(1).sort()).toEqual(['read@n1', 'read@n2', 'read@n3', 'read@n4', 'read@n5']);
    const stopAll = h.findIndex((o) => o.f === 'stop-all' && o.type === 'ok');
    const finalReads = h.filter((o) => o.index > stopAll && o.type === 'invoke');
    expect(finalReads.length).toBeGreaterThanOrEqual(5);
    expect(checkWellFormed(h).valid).toBe(true);
  });

  it('heals at the time limit without waiting for client requests hung by the fault', async () => {
    const db = new MemoryCluster();
    const nemesis = new MemoryNemesis(db);
    let healedAt = 0;
    const heal = nemesis.healAll.bind(nemesis);
    nemesis.healAll = async () => {
      healedAt = Date.now();
      await heal();
    };
    // Isolate n1 at 100 ms and never heal it in the schedule.
    const plan = { nemesis, generator: () => concat(sleep(ms(100)), once({ f: 'start-partition', value: { nodes: ['n1'] } })) };
    const started = Date.now();
    const out = await runTest(memoryTest(db, { timeLimit: 0.4, nemesis: plan }), { ...quiet, opTimeoutMs: 2000 });
    const ended = Date.now();
    // At the time limit: not when the nemesis schedule ran out (100 ms), not after the 2 s request timeout.
    expect(healedAt - started).toBeGreaterThanOrEqual(390);
    // Before the hung request gave up (events, not a wall-clock bound a loaded machine could miss).
    const healOp = out.history.find((o) => o.f === 'stop-all' && o.type === 'invoke')!;
    const gaveUp = out.history.find((o) => o.type === 'info' && o.node === 'n1')!;
    expect(healOp.time).toBeLessThan(gaveUp.time);
    expect(ended - started).toBeGreaterThanOrEqual(2000); // the hung request did run to its timeout
    const hung = out.history.filter((o) => o.type === 'info' && o.node === 'n1');
    expect(hung.length).toBe(1);
    expect(hung[0].error).toMatch(/timed out after 2000 ms/);
  });

  it('a fault still being played at the time limit keeps the clients working until it is done, then heals', async () => {
    const db = new MemoryCluster();
    const nemesis = new MemoryNemesis(db);
    // A start that plays for 600 ms, as a Raft-aware script does: begun at 200 ms of a 400-ms run.
    const invoke = nemesis.invoke.bind(nemesis);
    nemesis.invoke = async (op) => {
      const done = await invoke(op);
      if (op.f === 'start-partition') await new Promise((resolve) => setTimeout(resolve, 600));
      return done;
    };
    const plan = { nemesis, generator: () => concat(sleep(ms(200)), once({ f: 'start-partition', value: { nodes: ['n1'] } })) };
    const out = await runTest(memoryTest(db, { timeLimit: 0.4, nemesis: plan }), { ...quiet, opTimeoutMs: 1000 });
    const h = out.history;
    const clientInvokes = h.filter((o) => o.process !== 'nemesis' && o.type === 'invoke').map((o) => o.time);
    const start = h.find((o) => o.f === 'start-partition' && o.type === 'invoke')!;
    const played = h.find((o) => o.f === 'start-partition' && o.type !== 'invoke')!;
    const heal = h.find((o) => o.f === 'stop-all' && o.type === 'invoke')!;
    const healed = h.find((o) => o.f === 'stop-all' && o.type !== 'invoke')!;
    // The limit fell 200 ms after the start; clients still invoked in the last 300 ms of the play.
    expect(played.time - start.time).toBeGreaterThanOrEqual(ms(590));
    expect(clientInvokes.some((t) => t > start.time + ms(300) && t < played.time)).toBe(true);
    // The clients stopped when it was done: none invoked while healing (the final reads come after the heal).
    expect(clientInvokes.filter((t) => t > heal.time && t < healed.time)).toEqual([]);
    expect(heal.time - played.time).toBeLessThan(ms(500));
  });

  it('tears down and writes an unknown verdict when the run fails', async () => {
    const db = new MemoryCluster();
    db.waitHealthy = async () => {
      db.calls.push('waitHealthy');
      throw new Error('cluster never became healthy');
    };
    // The report hook still runs, after teardown, with the unfinished results on disk.
    const reported: string[] = [];
    const onResults = async (dir: string) => {
      reported.push(`${JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8')).valid} after ${db.calls.at(-1)}`);
    };
    await expect(runTest(memoryTest(db, { nemesis: partitionPlan(db) }), { ...quiet, onResults })).rejects.toThrow('never became healthy');
    expect(db.calls).toEqual(['setup', 'waitHealthy', 'collectLogs', 'teardown']);
    expect(reported).toEqual(['unknown after teardown']);
    const results = JSON.parse(fs.readFileSync(path.join(store, 'latest', 'results.json'), 'utf8'));
    expect(results.valid).toBe('unknown');
    expect(results.checkers[0].summary).toMatch(/run failed: cluster never became healthy/);
  });

  it('a crashing checker gives unknown, not a crash', async () => {
    const db = new MemoryCluster();
    const test = memoryTest(db, { timeLimit: 0.1 });
    test.workload.checkers = [{ name: 'boom', check: () => { throw new Error('bug'); } }];
    const out = await runTest(test, quiet);
    expect(out.results).toEqual({ valid: 'unknown', checkers: [{ checker: 'boom', valid: 'unknown', summary: 'checker crashed: bug' }] });
  });

  it('rejects bad options with a user error', async () => {
    const db = new MemoryCluster();
    await expect(runTest(memoryTest(db, { concurrency: 0 }), quiet)).rejects.toThrow(/concurrency must be a positive integer/);
    expect(db.calls).toEqual([]);
  });
});

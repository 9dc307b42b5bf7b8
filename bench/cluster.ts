// npm run bench:cluster — median of 5 for: image build (cold and cached),
// a 5-node etcd cluster up until healthy with a leader, and down.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../clusters/environment/setup.ts';
import { etcdDb } from '../clusters/etcd/etcd.ts';
import { buildImage } from '../clusters/docker/image.ts';
import { docker } from '../clusters/docker/engine.ts';
import { startCluster } from '../clusters/start.ts';
import { makeRunId } from '../clusters/run-id.ts';

const ROUNDS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

await ensureEnvironment();
const db = etcdDb();
const cold: number[] = [];
const cached: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const { tag } = await buildImage(db.image());
  await docker().getImage(tag).remove({ force: true }).catch(() => {});
  cold.push((await buildImage(db.image())).ms);
  cached.push((await buildImage(db.image())).ms);
}

const upTimes: number[] = [];
const downTimes: number[] = [];
const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
for (let i = 0; i < ROUNDS; i++) {
  const runId = makeRunId();
  const t0 = performance.now();
  const running = await startCluster({ db, nodeCount: 5, runId, runDir: join(dir, runId) });
  const t1 = performance.now();
  await running.teardown();
  const t2 = performance.now();
  upTimes.push(t1 - t0);
  downTimes.push(t2 - t1);
  console.error(`round ${i + 1}: up ${fmt(t1 - t0)} (image ${Math.round(running.timings.imageMs)} ms, containers ${Math.round(running.timings.containersMs)} ms, healthy ${Math.round(running.timings.healthyMs)} ms), down ${fmt(t2 - t1)}`);
}

console.log(`median of ${ROUNDS} on ${process.platform}/${process.arch}, ${(await import('node:os')).cpus().length} cores`);
console.log(`image build, cold:                 ${fmt(median(cold))}`);
console.log(`image build, cached:               ${fmt(median(cached))}`);
console.log(`5-node etcd up (cached image, until healthy with a leader): ${fmt(median(upTimes))}   target <= 5 s`);
console.log(`5-node etcd down:                  ${fmt(median(downTimes))}   target <= 3 s`);

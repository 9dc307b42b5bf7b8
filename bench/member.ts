// Member changes per minute: one `faultline test --db etcd --nodes 5
// --nemesis member` run of 40 s at a 3 s interval, counting the membership
// changes etcd's own member lists prove (a readd or a replace, on a new
// container, is one remove and one add; a shrink removes one or two, its
// stop adds them back).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { readHistoryFile } from '../history/formats/index.ts';
import type { FaultValue } from '../history/op.ts';

const TIME_LIMIT_S = 40;
const store = mkdtempSync(join(tmpdir(), 'faultline-bench-member-'));
process.on('exit', () => rmSync(store, { recursive: true, force: true }));
const r = await execa('node', ['bin/faultline.mjs', 'test', '--db', 'etcd', '--nodes', '5', '--workload', 'register', '--nemesis', 'member', '--time-limit', String(TIME_LIMIT_S), '--nemesis-interval', '3s', '--rate', '50', '--seed', '1', '--store', store], { reject: false });
const [test] = readdirSync(store).filter((d) => d !== 'latest');
const [run] = readdirSync(join(store, test));
const ops = readHistoryFile(join(store, test, run, 'history.jsonl')).filter((op) => op.process === 'nemesis' && op.type === 'ok');
let changes = 0;
for (const op of ops) {
  const v = op.value as FaultValue;
  if (v.fault !== 'member' || v.effect !== 'took-effect') continue;
  // readd, replace: each node removed and added; shrink: each node removed; a grow (stop): each node added.
  changes += v.variant === 'readd' || v.variant === 'replace' ? 2 * v.nodes.length : v.nodes.length;
}
console.log(`member changes proven by etcd's member list: ${changes} in ${TIME_LIMIT_S} s = ${((changes * 60) / TIME_LIMIT_S).toFixed(1)} per minute (run exit ${r.exitCode})`);

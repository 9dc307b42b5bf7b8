// npm run bench:startup:zookeeper [-- --rounds 3 --nodes 3 --json]
//
// Where the time from nothing to a serving ZooKeeper ensemble goes, phase by
// phase, through the same steps `faultline test --db zookeeper` takes
// (clusters/start.ts, with timestamps in between):
//   jlink runtime, cold   runtime.sh in an empty folder (the cached one is kept)
//   image prepare          runtime.sh as every run calls it (stamp check only)
//   image build, cold      the node image after removing it; cached: again
//   containers             network + containers created and started
//   process start          data folder made, start.sh + java launched (docker exec)
//   JVM up                 until every member's client port accepts (ZooKeeper loaded)
//   quorum                 until every member's `srvr` names a mode (election + sync done)
//   readiness seen         until the harness's poll (AdminServer srvr, 250 ms) says healthy
//   down                   containers and network removed
// Median of --rounds (default 3), one ensemble at a time.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildImage, definedDb, docker, DockerCluster, ensureEnvironment, loadDefinition, makeRunId, removeRun, tcpConnect } from '../clusters/index.ts';
import { ZOOKEEPER_DEFINITION } from '../harness/systems/zookeeper.ts';
import { fourLetterWord, parseSrvr } from '../workloads/zookeeper/index.ts';
import { median } from './lib/median.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, nodes: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } } });
const ROUNDS = Number(values.rounds);
const NODES = Number(values.nodes);
const PROBE_MS = 20;
const log = (line: string) => console.error(line);
const since = (t: number) => performance.now() - t;

/** Poll `ok` every PROBE_MS until it holds; resolves with the time it first did. */
async function firstTime(ok: () => Promise<boolean>, deadline: number): Promise<number> {
  for (;;) {
    if (await ok().catch(() => false)) return performance.now();
    if (Date.now() > deadline) throw new Error('not within the deadline');
    await new Promise((r) => setTimeout(r, PROBE_MS));
  }
}

await ensureEnvironment();
const loaded = loadDefinition(ZOOKEEPER_DEFINITION);
const def = loaded.def;
const db = definedDb(loaded);
const clientPort = def.ports.client;

// The jlink'ed runtime from scratch, in a folder of its own (the cached runtime stays as it is).
const coldDir = mkdtempSync(join(tmpdir(), 'faultline-zk-jlink-'));
copyFileSync(join(dirname(ZOOKEEPER_DEFINITION), 'runtime.sh'), join(coldDir, 'runtime.sh'));
let t = performance.now();
const jlink = spawnSync('sh', ['runtime.sh'], { cwd: coldDir, encoding: 'utf8' });
const jlinkMs = since(t);
rmSync(coldDir, { recursive: true, force: true });
if (jlink.status !== 0) throw new Error(`runtime.sh: ${jlink.stderr}`);

// A DB's image() runs image.prepare first (with the runtime cached: its stamp check only).
t = performance.now();
const spec = db.image();
const prepareMs = since(t);
const { tag } = await buildImage(spec);
await docker().getImage(tag).remove({ force: true }).catch(() => {});
const coldImage = await buildImage(spec);
const cachedImage = await buildImage(spec);
const sizeMb = ((await docker().getImage(tag).inspect()).Size / 1e6).toFixed(1);

interface Round {
  containersMs: number;
  processStartMs: number;
  jvmUpMs: number;
  quorumMs: number;
  readinessSeenMs: number;
  totalMs: number;
  downMs: number;
}
const rounds: Round[] = [];
const runRoot = mkdtempSync(join(tmpdir(), 'faultline-zk-bench-'));
for (let i = 0; i < ROUNDS; i++) {
  const runId = makeRunId();
  const t0 = performance.now();
  let cluster: DockerCluster | undefined;
  try {
    cluster = await DockerCluster.create({ runId, nodeCount: NODES, image: tag, runDir: join(runRoot, runId), labels: { 'faultline.db': db.name } });
    const t1 = performance.now();
    const c = cluster;
    await Promise.all(c.nodes.map((n) => db.start(c, n.name, { fresh: true })));
    const t2 = performance.now();
    const deadline = Date.now() + def.readyTimeoutS * 1000;
    const address = (ip: string) => `${ip}:${clientPort}`;
    // Per member: client port open, then serving; the harness's own readiness wait alongside.
    const members = c.nodes.map(async (n) => {
      const up = await firstTime(() => tcpConnect(n.ip, clientPort, 500).then(() => true), deadline);
      const serving = await firstTime(async () => parseSrvr(await fourLetterWord(address(n.ip), 'srvr', 500)).mode !== '', deadline);
      return { up, serving };
    });
    const [times] = await Promise.all([Promise.all(members), db.waitHealthy(c, def.readyTimeoutS * 1000)]);
    const t3 = performance.now();
    const jvmUp = Math.max(...times.map((m) => m.up));
    const quorum = Math.max(...times.map((m) => m.serving));
    const t4 = performance.now();
    await removeRun(runId);
    cluster = undefined;
    const round: Round = {
      containersMs: t1 - t0,
      processStartMs: t2 - t1,
      jvmUpMs: jvmUp - t2,
      quorumMs: quorum - jvmUp,
      readinessSeenMs: Math.max(0, t3 - quorum),
      totalMs: t3 - t0,
      downMs: since(t4),
    };
    rounds.push(round);
    log(`round ${i + 1}: ${Object.entries(round).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ')}`);
  } finally {
    if (cluster) await removeRun(runId).catch(() => {});
  }
}
rmSync(runRoot, { recursive: true, force: true });

const med = (k: keyof Round) => median(rounds.map((r) => r[k])) ?? NaN;
const rows: Array<[string, number]> = [
  ['jlink runtime, cold (once per JDK or zookeeper.jar)', jlinkMs],
  ['image prepare, cached runtime (every run)', prepareMs],
  [`image build, cold (${sizeMb} MB)`, coldImage.ms],
  ['image build, cached', cachedImage.ms],
  [`containers (network + ${NODES} containers)`, med('containersMs')],
  ['process start (docker exec start.sh)', med('processStartMs')],
  ['JVM up (client ports accept)', med('jvmUpMs')],
  ['quorum (election + sync: srvr names a mode)', med('quorumMs')],
  ['readiness seen by the harness after that', med('readinessSeenMs')],
  ['cached image to ready, total', med('totalMs')],
  ['down', med('downMs')],
];
if (values.json) console.log(JSON.stringify({ rounds: ROUNDS, nodes: NODES, cores: cpus().length, rows: Object.fromEntries(rows.map(([k, v]) => [k, Math.round(v)])), perRound: rounds }, null, 2));
else {
  console.log(`ZooKeeper ${NODES}-member ensemble startup, median of ${ROUNDS}, ${cpus().length} cores`);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${(v / 1000).toFixed(2).padStart(6)} s`);
}

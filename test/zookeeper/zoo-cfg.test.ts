// The zoo.cfg and myid each member gets: clusters/zookeeper/start.sh run on
// the host with the very arguments zookeeper.yaml's node.command expands to
// for each node of a 3-member ensemble (FAULTLINE_ZK_JAVA stands in for the
// image's JVM, so the script stops where it would start the server).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expandPlaceholders, loadDefinition, nodeValues } from '../../clusters/index.ts';
import { ZOOKEEPER_DEFINITION } from '../../harness/systems/zookeeper.ts';

const { def } = loadDefinition(ZOOKEEPER_DEFINITION);
const START_SH = join(dirname(ZOOKEEPER_DEFINITION), 'start.sh');
const NODES = [
  { name: 'n1', ip: '10.7.0.11' },
  { name: 'n2', ip: '10.7.0.12' },
  { name: 'n3', ip: '10.7.0.13' },
];

/** Run start.sh for one node as the container would; returns its zoo.cfg as key=value pairs, its myid and the JVM's argv. */
function startNode(node: string, dataDir: string): { cfg: Array<[string, string]>; myid: string; javaArgs: string[] } {
  const values = nodeValues(NODES, node, { peer: def.node.peer, peerSeparator: def.node.peerSeparator, dataDir, ports: def.ports });
  const argv = def.node.command.map((a) => expandPlaceholders(a, values));
  expect(argv.slice(0, 2)).toEqual(['/bin/sh', '/zookeeper/start.sh']);
  // echo prints the arguments the script hands the JVM (none has a space here).
  const r = spawnSync('sh', [START_SH, ...argv.slice(2)], { encoding: 'utf8', env: { PATH: process.env.PATH, FAULTLINE_ZK_JAVA: 'echo' } });
  expect(r.status, r.stderr).toBe(0);
  const cfg = readFileSync(join(dataDir, 'zoo.cfg'), 'utf8').trim().split('\n').map((l): [string, string] => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
  return { cfg, myid: readFileSync(join(dataDir, 'myid'), 'utf8'), javaArgs: r.stdout.trim().split(' ') };
}

describe('zoo.cfg per member (clusters/zookeeper/start.sh)', () => {
  it('every member: its myid, the same ensemble, ticks and limits, its own data folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'faultline-zoo-cfg-'));
    try {
      const servers = NODES.map((n, i) => `server.${i + 1}=${n.ip}:${def.ports.quorum}:${def.ports.election}`);
      NODES.forEach((n, i) => {
        const dataDir = join(root, n.name);
        mkdirSync(dataDir);
        const { cfg, myid, javaArgs } = startNode(n.name, dataDir);
        expect(myid).toBe(`${i + 1}\n`);
        const settings = Object.fromEntries(cfg);
        expect(settings).toMatchObject({
          tickTime: '200',
          initLimit: '10',
          syncLimit: '5',
          dataDir,
          clientPort: String(def.ports.client),
          'admin.serverPort': String(def.ports.admin),
          minSessionTimeout: '400',
        });
        // One line per member, in id order, the same on every member (a key twice would be a config error).
        expect(cfg.filter(([k]) => k.startsWith('server.')).map(([k, v]) => `${k}=${v}`)).toEqual(servers);
        expect(new Set(cfg.map(([k]) => k)).size).toBe(cfg.length);
        // The divergence check asks every member its zxid (srvr) and its digest log (hash).
        expect(settings['4lw.commands.whitelist'].split(',')).toEqual(expect.arrayContaining(['srvr', 'hash']));
        // The server is started on this member's file.
        expect(javaArgs).toContain(join(dataDir, 'zoo.cfg'));
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the clients ask for a session timeout the servers grant (between 2 and 20 ticks)', () => {
    const tick = Number(def.node.command[6]);
    expect(tick).toBe(200);
    expect(def.client.protocol).toBe('zookeeper');
    if (def.client.protocol !== 'zookeeper') return;
    expect(def.client.sessionTimeoutMs).toBeGreaterThanOrEqual(2 * tick);
    expect(def.client.sessionTimeoutMs).toBeLessThanOrEqual(20 * tick);
  });
});

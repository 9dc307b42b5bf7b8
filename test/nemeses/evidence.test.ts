// The pure half of fault evidence: which pairs a grudge should cut for a TCP
// probe (every shape), judging a probe against it, reading iptables
// counters, the probe and process scripts' text.
import { describe, expect, it } from 'vitest';
import { Random } from '../../generator/random.ts';
import { PARTITION_SHAPES, partitionGrudge, type Grudge } from '../../nemeses/grudge.ts';
import { connectExpected, describeDropped, droppedPackets, judgeReachability } from '../../nemeses/network-evidence.ts';
import { applyScript, parseCounters } from '../../nemeses/iptables.ts';
import { parseProbe, probeScript, type ProbeResult, type ReachabilityProbe } from '../../clusters/docker/reachability.ts';
import { contScript, killScript, pauseScript } from '../../nemeses/process.ts';
import { combineEffects, withEffect } from '../../nemeses/effect.ts';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];

/** A probe that sees exactly what `g` intends, with `override` on top. */
function probeOf(g: Grudge, override: Record<string, ProbeResult> = {}): ReachabilityProbe {
  const reach: ReachabilityProbe['reach'] = {};
  for (const from of nodes) {
    reach[from] = {};
    for (const to of nodes) if (to !== from) reach[from][to] = override[`${from}->${to}`] ?? (connectExpected(g, from, to) ? 'open' : 'timeout');
  }
  return { reach, errors: {}, ms: 7 };
}

describe('which pairs a TCP probe sees cut', () => {
  it('a connect needs both directions: a one-way cut makes both directions time out', () => {
    const g: Grudge = { n2: ['n1'] }; // n2 drops n1's packets: n1 -x-> n2
    expect(connectExpected(g, 'n1', 'n2')).toBe(false);
    expect(connectExpected(g, 'n2', 'n1')).toBe(false); // n1's SYN-ACK is dropped by n2
    expect(connectExpected(g, 'n1', 'n3')).toBe(true);
  });

  it.each(PARTITION_SHAPES.map((s) => [s]))('%s: a probe matching the grudge took effect; one cut pair left open is no effect', (shape) => {
    const g = partitionGrudge(shape, nodes, new Random(3), 'n2');
    const good = judgeReachability(g, nodes, probeOf(g));
    expect(good.effect).toBe('took-effect');
    const cut = good.evidence.expectedCut as string[];
    expect(cut.length).toBeGreaterThan(0);
    expect(good.evidence.summary).toMatch(new RegExp(`^${cut.length} of 20 pairs cut as intended`));
    const bad = judgeReachability(g, nodes, probeOf(g, { [cut[0]]: 'open' }));
    expect(bad.effect).toBe('no-effect');
    expect(bad.evidence.summary).toContain(`1 of ${cut.length} pairs meant to be cut still connect (${cut[0]})`);
  });

  it('an unhooked chain cuts nothing: every intended cut is reported open', () => {
    const g = partitionGrudge('halves', nodes, new Random(1));
    const r = judgeReachability(g, nodes, probeOf({}));
    expect(r.effect).toBe('no-effect');
    expect(r.evidence.observedCut).toEqual([]);
  });

  it('heal: all pairs must connect; a refused port counts as reachable (a killed DB), a timeout does not', () => {
    expect(judgeReachability({}, nodes, probeOf({}, { 'n1->n2': 'refused' })).effect).toBe('took-effect');
    const r = judgeReachability({}, nodes, probeOf({}, { 'n3->n4': 'timeout' }));
    expect(r.effect).toBe('no-effect');
    expect(r.evidence.summary).toBe('1 pairs still cut after the heal (n3->n4)');
  });

  it('a probe that could not run is unverified; a timeout on a lossy link contradicts nothing', () => {
    const g = partitionGrudge('one', nodes, new Random(2));
    expect(judgeReachability(g, nodes, probeOf(g, { 'n1->n2': 'error' })).effect).toBe('unverified');
    const lossy: Grudge = { n4: ['n5'] };
    expect(judgeReachability({}, nodes, probeOf({}, { 'n4->n5': 'timeout' }), lossy).effect).toBe('took-effect');
  });
});

describe('iptables counters', () => {
  const nft = [
    'Chain faultline-partition (1 references)',
    '    pkts      bytes target     prot opt in     out     source               destination',
    '      15     1070 DROP       0    --  *      *       10.213.12.12         0.0.0.0/0            /* faultline */',
    '       3      200 DROP       all  --  *      *       10.213.12.13         0.0.0.0/0            statistic mode random probability 0.30000000000 /* faultline */',
  ].join('\n');

  it('reads references and packets dropped per source, in nodes', () => {
    const c = parseCounters(nft);
    expect(c).toEqual({ exists: true, references: 1, dropped: { '10.213.12.12': 15, '10.213.12.13': 3 } });
    const byNode = droppedPackets(new Map([['n1', c]]), (ip) => (ip.endsWith('.12') ? 'n2' : 'n3'));
    expect(byNode).toEqual({ n1: { n2: 15, n3: 3 } });
    expect(describeDropped(byNode)).toBe('n1 dropped 15 from n2, n1 dropped 3 from n3');
  });

  it('an unhooked chain has no references; a missing chain does not exist', () => {
    expect(parseCounters(nft.replace('(1 references)', '(0 references)')).references).toBe(0);
    expect(parseCounters('')).toEqual({ exists: false, references: 0, dropped: {} });
  });

  it('the tests-only unhooked partition creates its rules but no jump from INPUT', () => {
    const s = applyScript('faultline-partition', { sources: ['10.0.0.12'] }, { hooked: false });
    expect(s).toContain('-A faultline-partition -s 10.0.0.12');
    expect(s).not.toContain('INPUT');
  });
});

describe('probe and process scripts', () => {
  it('probes every target at once with a bounded bash /dev/tcp connect', () => {
    const s = probeScript([{ node: 'n2', ip: '10.0.0.12', port: 2379 }, { node: 'n3', ip: '10.0.0.13', port: 2379 }], 300);
    expect(s).toContain('exec 3<>/dev/tcp/10.0.0.12/2379;');
    expect(s).toContain('exec 3<>/dev/tcp/10.0.0.13/2379;');
    expect(s).toContain('sleep 0.300; kill -9');
    // A line per connect that ended; none for one killed at the timeout; nothing at all when the script died.
    expect(parseProbe('n3 refused\nn2 open\nend\n', ['n2', 'n3', 'n4'])).toEqual({ n2: 'open', n3: 'refused', n4: 'timeout' });
    expect(parseProbe('n2 open\n', ['n2', 'n3'])).toEqual({ n2: 'open', n3: 'error' });
  });

  it('kill, pause and resume refuse to claim success without a process (exit 3)', () => {
    for (const s of [killScript('etcd'), pauseScript('etcd'), contScript('etcd')]) {
      expect(s).toContain('/faultline/etcd.pid');
      expect(s).toMatch(/no process \$pid to (kill|pause|resume)[^\n]*exit 3/);
    }
    expect(pauseScript('etcd')).toContain('/proc/$1/status');
  });

  it('a failed command makes the op info and its effect no-effect, whatever was seen', () => {
    const c = withEffect({ fault: 'kill', nodes: ['n1'] }, 'took-effect', { summary: 'n1: gone' }, ['n2: no process 14 to kill']);
    expect(c).toMatchObject({ type: 'info', error: 'n2: no process 14 to kill', value: { effect: 'no-effect', evidence: { summary: 'command failed: n2: no process 14 to kill' } } });
    expect(combineEffects(['took-effect', 'unverified'])).toBe('unverified');
    expect(combineEffects(['took-effect', 'no-effect'])).toBe('no-effect');
  });
});

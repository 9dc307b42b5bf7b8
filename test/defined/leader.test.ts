// Who leads, from every node's answer to a leader probe.
import { describe, expect, it } from 'vitest';
import { judgeLeader, nodeNamed, type LeaderAnswer, type LeaderProbe } from '../../clusters/defined/index.ts';

const http = { port: 1, path: '/status', method: 'GET' as const };
const ips: Record<string, string> = { n1: '10.0.0.11', n2: '10.0.0.12', n3: '10.0.0.13' };
const answers = (by: Record<string, unknown>): LeaderAnswer[] =>
  Object.entries(by).map(([node, answer]) => (answer instanceof Error ? { node, ip: ips[node], error: answer.message } : { node, ip: ips[node], answer }));

describe('judgeLeader', () => {
  it('equalsField (etcd): the node whose leader field is its own id, agreed when everyone names it', () => {
    const probe: LeaderProbe = { http, field: 'leader', equalsField: 'header.member_id' };
    const all = answers({ n1: { leader: 'b', header: { member_id: 'a' } }, n2: { leader: 'b', header: { member_id: 'b' } }, n3: { leader: 'b', header: { member_id: 'c' } } });
    expect(judgeLeader(probe, all)).toMatchObject({ leader: 'n2', agreed: true });
    // n3 still follows an old leader: n2 leads, but they do not agree yet.
    const split = answers({ n1: { leader: 'b', header: { member_id: 'a' } }, n2: { leader: 'b', header: { member_id: 'b' } }, n3: { leader: 'c', header: { member_id: 'c' } } });
    const j = judgeLeader(probe, split);
    expect(j.leader).toBe('n2');
    expect(j.agreed).toBe(false);
    expect(j.views.n3).toMatch(/leads/);
    // No leader yet: etcd says leader "0".
    expect(judgeLeader(probe, answers({ n1: { leader: '0', header: { member_id: 'a' } } }))).toMatchObject({ leader: undefined, agreed: false });
  });

  it('equals (a role field): exactly one node says it leads', () => {
    const probe: LeaderProbe = { http, field: 'role', equals: 'leader' };
    expect(judgeLeader(probe, answers({ n1: { role: 'follower' }, n2: { role: 'leader' }, n3: { role: 'follower' } }))).toMatchObject({ leader: 'n2', agreed: true });
    expect(judgeLeader(probe, answers({ n1: { role: 'leader' }, n2: { role: 'leader' }, n3: { role: 'follower' } })).agreed).toBe(false);
    const down = judgeLeader(probe, answers({ n1: { role: 'leader' }, n2: new Error('connection refused'), n3: { role: 'follower' } }));
    expect(down).toMatchObject({ leader: 'n1', agreed: false });
    expect(down.views.n2).toBe('no answer (connection refused)');
  });

  it('neither: the field names the leader, by node name or by an address holding its IP', () => {
    const probe: LeaderProbe = { http, field: 'leader' };
    expect(judgeLeader(probe, answers({ n1: { leader: 'n3' }, n2: { leader: 'http://10.0.0.13:8080' }, n3: { leader: '10.0.0.13:9000' } }))).toMatchObject({ leader: 'n3', agreed: true });
    expect(judgeLeader(probe, answers({ n1: { leader: 'n3' }, n2: { leader: 'n3' }, n3: { leader: 'n1' } }))).toMatchObject({ leader: 'n3', agreed: false });
    expect(judgeLeader(probe, answers({ n1: { leader: null }, n2: { leader: '' } }))).toMatchObject({ leader: undefined, agreed: false });
  });

  it('nodeNamed does not take 10.0.0.1 for 10.0.0.11', () => {
    const nodes = [{ node: 'a', ip: '10.0.0.1' }, { node: 'b', ip: '10.0.0.11' }];
    expect(nodeNamed('http://10.0.0.11:80', nodes)).toBe('b');
    expect(nodeNamed('10.0.0.1', nodes)).toBe('a');
    expect(nodeNamed(7, nodes)).toBeUndefined();
  });
});

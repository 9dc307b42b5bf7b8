// The failpoint nemesis without Docker: --failpoints parsing, what each DB
// is refused, the schedule's draws, the member it aims at, and what the
// history records of an armed failpoint (fired or not).
import { describe, expect, it } from 'vitest';
import { seconds, simulate, timeLimit, Random } from '../../generator/index.ts';
import { UserError } from '../../history/errors.ts';
import { etcdDb } from '../../clusters/etcd/etcd.ts';
import { raftkvDb } from '../../clusters/raftkv/db.ts';
import { ETCD_FAILPOINTS, gofailFiredText, gofailPath, gofailTerm, parseGofailList } from '../../clusters/etcd/failpoints.ts';
import { golangPackageVersions } from '../../clusters/etcd/failpoint-build.ts';
import { FAILPOINT_NAMES, nemesisPlan, parseFailpointsOption } from '../../nemeses/index.ts';
import { failpointsFor } from '../../nemeses/failpoint-options.ts';
import { armedCompletion, chooseMember, fireEffect, type Armed } from '../../nemeses/failpoint-evidence.ts';
import { resolveNemeses } from '../../nemeses/schedule.ts';
import { etcdOptionsFor } from '../../harness/systems/etcd.ts';
import { buildTest } from '../../harness/systems/index.ts';
import type { FaultValue } from '../../history/op.ts';

const gofailEtcd = () => etcdDb({ binary: '/usr/bin/etcd', gofail: true });

describe('--failpoints', () => {
  it('takes etcd 3.4.23\'s 16 names, comma-separated or repeated; empty means all', () => {
    expect(FAILPOINT_NAMES).toHaveLength(16);
    expect(parseFailpointsOption('raftBeforeSave, beforeCommit')).toEqual(['raftBeforeSave', 'beforeCommit']);
    expect(parseFailpointsOption(['raftAfterSave', 'raftAfterSave,afterCommit'])).toEqual(['raftAfterSave', 'afterCommit']);
    expect(parseFailpointsOption(undefined)).toBeUndefined();
    expect(parseFailpointsOption(' , ')).toBeUndefined();
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => parseFailpointsOption('raftBeforeSave,raftBeforSave')).toThrow(UserError);
    expect(() => parseFailpointsOption('raftBeforSave')).toThrow(/unknown failpoint raftBeforSave/);
  });
});

describe('which DB takes which failpoints', () => {
  const choices = resolveNemeses(['failpoint']);

  it('etcd\'s failpoint build: every failpoint, panic and sleep', () => {
    const r = failpointsFor(['failpoint'], choices, undefined, gofailEtcd());
    expect(r.failpoints).toEqual(FAILPOINT_NAMES);
    expect(r.choices.map((c) => c.variant)).toEqual(['panic', 'sleep']);
    expect(failpointsFor(['failpoint'], choices, ['beforeCommit'], gofailEtcd()).failpoints).toEqual(['beforeCommit']);
  });

  it('etcd without the failpoint build, and a DB without failpoints, are refused', () => {
    expect(() => failpointsFor(['failpoint'], choices, undefined, etcdDb())).toThrow(/unsupported for etcd: it has no failpoints/);
    expect(() => nemesisPlan(['failpoint'], { intervalS: 5, db: { name: 'zookeeper' } })).toThrow(UserError);
  });

  it('raftkv: raftBeforeLeaderSend (its crash-before-leader-send), panic only', () => {
    const r = failpointsFor(['failpoint'], choices, undefined, raftkvDb());
    expect(r.failpoints).toEqual(['raftBeforeLeaderSend']);
    expect(r.choices.map((c) => c.variant)).toEqual(['panic']);
    expect(() => failpointsFor(['failpoint'], choices, ['beforeCommit'], raftkvDb())).toThrow(/raftkv has no failpoint beforeCommit/);
    expect(() => nemesisPlan(['failpoint-sleep'], { intervalS: 5, db: raftkvDb() })).toThrow(/failpoint-sleep: no failpoint of raftkv takes that action/);
  });

  it('needs 3 nodes', () => {
    expect(() => nemesisPlan(['failpoint'], { intervalS: 5, db: gofailEtcd(), nodeCount: 1 })).toThrow(/at least 3 nodes/);
    expect(() => nemesisPlan(['failpoint'], { intervalS: 5, db: gofailEtcd(), nodeCount: 3 })).not.toThrow();
  });
});

describe('the failpoint schedule', () => {
  const draws = (opts: { failpoints?: string[] }, db = gofailEtcd()) => {
    const plan = nemesisPlan(['failpoint'], { intervalS: 1, db, nodeCount: 3, ...opts });
    return simulate(timeLimit(seconds(60), plan.generator()), { workers: ['nemesis'], seed: 3, duration: 100e6 }).filter((op) => op.f === 'start-failpoint');
  };

  it('draws from --failpoints, with a sleep length only for sleeps', () => {
    const ops = draws({ failpoints: ['raftAfterSave', 'beforeCommit'] });
    expect(ops.length).toBeGreaterThan(10);
    const specs = ops.map((op) => op.value as { variant: string; failpoint: string; sleepMs?: number });
    expect(new Set(specs.map((s) => s.failpoint))).toEqual(new Set(['raftAfterSave', 'beforeCommit']));
    expect(new Set(specs.map((s) => s.variant))).toEqual(new Set(['panic', 'sleep']));
    for (const s of specs) expect(s.sleepMs !== undefined).toBe(s.variant === 'sleep');
  });

  it('raftkv: only raftBeforeLeaderSend, only panic', () => {
    const specs = draws({}, raftkvDb()).map((op) => op.value as { variant: string; failpoint: string });
    expect(new Set(specs.map((s) => `${s.failpoint}=${s.variant}`))).toEqual(new Set(['raftBeforeLeaderSend=panic']));
  });
});

describe('the member a failpoint is armed on', () => {
  const nodes = ['n1', 'n2', 'n3'];
  it('the leader for leader-only, a follower for follower-only, anyone otherwise', () => {
    expect(chooseMember('leader', nodes, 'n2', new Random(1))).toEqual({ node: 'n2', role: 'leader' });
    for (let seed = 0; seed < 20; seed++) expect(chooseMember('follower', nodes, 'n2', new Random(seed))?.role).toBe('follower');
    const any = new Set(Array.from({ length: 40 }, (_, seed) => chooseMember('any', nodes, 'n2', new Random(seed))!.role));
    expect(any).toEqual(new Set(['leader', 'follower']));
  });
  it('none without a leader when the role matters', () => {
    expect(chooseMember('leader', nodes, undefined, new Random(1))).toBeUndefined();
    expect(chooseMember('follower', nodes, undefined, new Random(1))).toBeUndefined();
    expect(chooseMember('any', nodes, undefined, new Random(1))?.role).toBe('follower');
  });
});

describe('what the history records of an armed failpoint', () => {
  const panic: Armed = { node: 'n2', failpoint: 'raftAfterSave', action: { mode: 'panic' }, role: 'follower', pid: 14 };
  const sleep: Armed = { ...panic, failpoint: 'beforeCommit', action: { mode: 'sleep', ms: 300 }, role: 'leader' };

  it('a panic took effect once its text is in the log and the process is gone', () => {
    const c = armedCompletion(panic, { firedAfterMs: 70, exited: true, waitedMs: 70 }, 'panic');
    expect(c.type).toBe('ok');
    const v = c.value as FaultValue;
    expect(v).toMatchObject({ fault: 'failpoint', nodes: ['n2'], failpoint: 'raftAfterSave', action: 'panic', role: 'follower', fired: true, exited: true, effect: 'took-effect' });
    expect(v.description).toBe('armed raftAfterSave=panic on n2 (follower)');
    expect(v.evidence?.summary).toMatch(/fired .* pid 14 exited/);
  });

  it('not reached within the wait: armed, fired false, unverified (the stop looks again)', () => {
    const v = armedCompletion(panic, { firedAfterMs: null, exited: false, waitedMs: 5000 }, 'panic').value as FaultValue;
    expect(v).toMatchObject({ fired: false, effect: 'unverified' });
    expect(v.evidence?.summary).toContain('not reached within 5000 ms');
  });

  it('a sleep takes effect on its print; a panic without exit, or an exit without the text, proves nothing', () => {
    expect(armedCompletion(sleep, { firedAfterMs: 100, exited: false, waitedMs: 100 }, 'sleep').value).toMatchObject({ action: 'sleep', sleepMs: 300, fired: true, effect: 'took-effect' });
    expect(fireEffect('panic', { firedAfterMs: 100, exited: false, waitedMs: 100 })).toBe('unverified');
    expect(fireEffect('panic', { firedAfterMs: null, exited: true, waitedMs: 100 })).toBe('unverified');
  });
});

describe('etcd\'s gofail terms', () => {
  it('paths by package, terms that leave a mark in the log, GET / parsed', () => {
    expect(ETCD_FAILPOINTS).toHaveLength(16);
    expect(gofailPath('raftBeforeSave')).toBe('go.etcd.io/etcd/etcdserver/raftBeforeSave');
    expect(gofailPath('raftDropHeartbeat')).toBe('go.etcd.io/etcd/etcdserver/api/rafthttp/raftDropHeartbeat');
    expect(gofailPath('beforeCommit')).toBe('go.etcd.io/etcd/mvcc/backend/beforeCommit');
    expect(gofailTerm('raftAfterSave', { mode: 'panic' })).toBe('panic("faultline raftAfterSave")');
    expect(gofailTerm('raftAfterSave', { mode: 'sleep', ms: 300 })).toBe('1*sleep(300)->1*print->sleep(300)');
    expect(gofailFiredText('raftAfterSave', { mode: 'panic' })).toBe('failpoint panic: faultline raftAfterSave');
    expect(gofailFiredText('beforeCommit', { mode: 'sleep', ms: 1 })).toBe('failpoint print: go.etcd.io/etcd/mvcc/backend/beforeCommit');
    expect(parseGofailList('go.etcd.io/etcd/mvcc/backend/beforeCommit=1*print->sleep(10)\ngo.etcd.io/etcd/etcdserver/raftAfterSave=\n')).toEqual(
      new Map([['go.etcd.io/etcd/mvcc/backend/beforeCommit', '1*print->sleep(10)'], ['go.etcd.io/etcd/etcdserver/raftAfterSave', '']]),
    );
  });

  it('the build\'s cache key names the installed golang-* packages', () => {
    const status = 'Package: golang-go\nStatus: install ok installed\nVersion: 2:1.19~1\n\nPackage: golang-x\nStatus: deinstall ok config-files\nVersion: 1\n\nPackage: curl\nStatus: install ok installed\nVersion: 7\n';
    expect(golangPackageVersions(status)).toEqual(['golang-go=2:1.19~1']);
  });
});

describe('--db etcd with the failpoint nemesis', () => {
  it('runs the failpoint build, or says how to build it (exit 2)', () => {
    expect(etcdOptionsFor({ nemesis: 'failpoint' }, () => '/cache/etcd')).toEqual({ binary: '/cache/etcd', gofail: true });
    expect(etcdOptionsFor({ nemesis: 'partition,kill' }, () => '/cache/etcd')).toEqual({ binary: undefined });
    expect(etcdOptionsFor({ nemesis: 'failpoint', etcdBinary: '/my/etcd' }, () => undefined)).toEqual({ binary: '/my/etcd', gofail: true });
    const refused = (() => {
      try {
        etcdOptionsFor({ nemesis: 'kill,failpoint-panic' }, () => undefined);
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toBeInstanceOf(UserError);
    expect(String((refused as UserError).hint)).toContain('faultline setup --etcd-failpoints');
  });

  it('test.json records the build and the failpoints asked for', () => {
    const test = buildTest({ db: 'etcd', nemesis: 'failpoint', failpoints: 'beforeCommit', nodes: '3', workload: 'register', timeLimit: 20, nemesisInterval: '2s', opTimeout: 1000, readMode: 'linearizable', etcdBinary: '/usr/bin/etcd' } as never, 1);
    expect(test.options).toMatchObject({ etcdBinary: '/usr/bin/etcd', etcdFailpoints: true, failpoints: 'beforeCommit', nemesis: 'failpoint' });
  });
});

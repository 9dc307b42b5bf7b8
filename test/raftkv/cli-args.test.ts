import { describe, expect, it } from 'vitest';
import { configFromArgs, serverArgs } from '../../raftkv/cli-args.ts';

describe('raftkv command line', () => {
  it('serverArgs and configFromArgs agree', () => {
    const argv = serverArgs({
      id: 'n2',
      peers: { n1: 'http://10.0.0.2:2380', n2: 'http://10.0.0.3:2380', n3: 'http://10.0.0.4:2380' },
      clientPort: 8080,
      dataDir: '/data',
      bugs: ['stale-read', 'no-fsync'],
      snapshotEvery: 100,
      maxAppendEntries: 1,
    });
    const c = configFromArgs(argv);
    expect(c).toMatchObject({ id: 'n2', clientPort: 8080, dataDir: '/data', snapshotEvery: 100, host: '0.0.0.0', electionTimeout: 300, maxEntriesPerAppend: 1 });
    expect(configFromArgs(argv.slice(0, argv.indexOf('--max-append-entries'))).maxEntriesPerAppend).toBe(256);
    expect([...c.peers]).toEqual([['n1', 'http://10.0.0.2:2380'], ['n2', 'http://10.0.0.3:2380'], ['n3', 'http://10.0.0.4:2380']]);
    expect([...c.bugs].sort()).toEqual(['no-fsync', 'stale-read']);
  });

  it('rejects unknown bugs, a node missing from --peers, and missing options, saying why', () => {
    const base = ['--id', 'n1', '--peers', 'n1=http://127.0.0.1:1', '--client-port', '1', '--data-dir', '/d'];
    expect(() => configFromArgs([...base, '--bug', 'nope'])).toThrow(/unknown bug 'nope'; known: stale-read/);
    expect(() => configFromArgs(['--id', 'n9', ...base.slice(2)])).toThrow(/must list this node/);
    expect(() => configFromArgs(['--id', 'n1'])).toThrow(/required/);
    expect(() => configFromArgs([...base, '--snapshot-every', 'x'])).toThrow(/non-negative integer/);
    expect(() => configFromArgs([...base, '--max-append-entries', '0'])).toThrow(/--max-append-entries must be at least 1/);
  });
});

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logExcerpts, parseLogTime } from '../../reports/log-excerpts.ts';
import type { FaultInterval } from '../../reports/faults.ts';

describe('parseLogTime', () => {
  it('reads ISO stamps (with zone or offset), etcd JSON logs and Go log stamps', () => {
    expect(parseLogTime('2026-01-02T03:04:05.123Z INFO x')).toBe(Date.parse('2026-01-02T03:04:05.123Z'));
    expect(parseLogTime('{"level":"info","ts":"2026-01-02T03:04:05.123456+01:00","msg":"x"}')).toBe(Date.parse('2026-01-02T02:04:05.123Z'));
    expect(parseLogTime('2026/01/02 03:04:05.500000 raft: tick')).toBe(Date.parse('2026-01-02T03:04:05.500Z'));
    expect(parseLogTime('panic: runtime error')).toBeUndefined();
  });
});

describe('logExcerpts', () => {
  it('takes the lines of the nodes a fault hit around its start; unstamped lines follow their stamped line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'faultline-logs-'));
    try {
      for (const node of ['n1', 'n2']) {
        await mkdir(path.join(dir, 'nodes', node), { recursive: true });
        await writeFile(
          path.join(dir, 'nodes', node, 'db.log'),
          ['2026-01-02T00:00:00.000Z start', '2026-01-02T00:00:10.000Z leader lost', 'goroutine 1 [running]:', '2026-01-02T00:00:30.000Z later'].join('\n'),
        );
      }
      const fault: FaultInterval = { fault: 'partition', start: 11e9, end: 20e9, healed: true, nodes: ['n2'], startIndex: 0, stopIndex: 1 };
      const excerpts = await logExcerpts(
        dir,
        [
          { node: 'n1', path: 'nodes/n1/db.log', bytes: 1 },
          { node: 'n2', path: 'nodes/n2/db.log', bytes: 1 },
        ],
        [fault],
        Date.parse('2026-01-02T00:00:00.000Z'),
      );
      expect(excerpts).toEqual([
        { fault: 0, node: 'n2', file: 'nodes/n2/db.log', lines: [{ n: 2, text: '2026-01-02T00:00:10.000Z leader lost' }, { n: 3, text: 'goroutine 1 [running]:' }] },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

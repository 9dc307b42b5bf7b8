// waitAnswering: the wait after a restart ends for a node once it answers,
// or once its DB process has exited (a DB refusing a damaged file dies at
// once); only a node that runs without answering is waited for until the budget.
import { describe, expect, it } from 'vitest';
import type { DockerClusterInfo } from '../../clusters/index.ts';
import { waitAnswering } from '../../nemeses/process.ts';

/** A cluster whose nodes answer from `upAfterMs` on (never: absent) and whose DB process runs while `running` says so. */
function fakeInfo(o: { upAfterMs: Record<string, number>; running: (node: string, sinceMs: number) => boolean }): DockerClusterInfo {
  const t0 = performance.now();
  const nodes = ['n1', 'n2', 'n3'];
  const since = () => performance.now() - t0;
  return {
    nodes,
    urls: {},
    db: {
      name: 'db',
      status: async () => nodes.map((node) => ({ node, ip: '', up: o.upAfterMs[node] !== undefined && since() >= o.upAfterMs[node], leader: false })),
    },
    cluster: { isRunning: async (node: string) => o.running(node, since()) },
  } as unknown as DockerClusterInfo;
}

describe('waitAnswering', () => {
  it('a node whose process exited is given up after about a second, not the 30 s budget; the others are waited for until they answer', async () => {
    const info = fakeInfo({ upAfterMs: { n1: 0, n2: 600 }, running: (n) => n !== 'n3' });
    const t0 = performance.now();
    const { ready, exited } = await waitAnswering(info, ['n1', 'n2', 'n3'], t0);
    expect([...ready.keys()].sort()).toEqual(['n1', 'n2']);
    expect(ready.get('n2')).toBeGreaterThanOrEqual(600);
    expect([...exited]).toEqual(['n3']);
  }, 10_000);

  it('a process that is gone only for a moment (a restart script that execs) is not given up', async () => {
    const info = fakeInfo({ upAfterMs: { n1: 800 }, running: (_n, t) => t > 300 });
    const { ready, exited } = await waitAnswering(info, ['n1'], performance.now());
    expect(ready.has('n1')).toBe(true);
    expect(exited.size).toBe(0);
  }, 10_000);

  it('a node that is running answers late: ready, never counted as exited', async () => {
    const info = fakeInfo({ upAfterMs: { n1: 1800 }, running: () => true });
    const { ready, exited } = await waitAnswering(info, ['n1'], performance.now());
    expect(ready.get('n1')).toBeGreaterThanOrEqual(1800);
    expect(exited.size).toBe(0);
  }, 10_000);
});

// The CLI a person uses by hand: setup, doctor, cluster up/status/down, and
// an interrupt while containers start leaves nothing behind.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { hostname } from 'node:os';
import { buildImage } from '../../clusters/docker/image.ts';
import { toolboxSpec } from '../../clusters/docker/toolbox.ts';
import { docker, RUN_LABEL } from '../../clusters/docker/engine.ts';
import { CLI, REPO_ROOT, faultline } from '../support/cli.ts';
import { leftovers, waitFor } from '../support/docker.ts';

describe('faultline CLI against the real engine', () => {
  it('setup run twice is a no-op the second time', async () => {
    const first = await faultline(['setup']);
    expect(first.exitCode).toBe(0);
    const second = await faultline(['setup']);
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toContain('nothing to do');
    expect(second.stderr).not.toMatch(/installing|starting dockerd/);
  });

  it('doctor reports every line', async () => {
    const r = await faultline(['doctor', '--json']);
    expect(r.exitCode).toBe(0);
    const { ok, rows } = JSON.parse(String(r.stdout)) as { ok: boolean; rows: Array<{ check: string; ok: unknown; detail: string }> };
    expect(ok).toBe(true);
    expect(rows.map((x) => x.check)).toEqual([
      'Docker engine',
      'etcd binary',
      'etcd failpoint build (--nemesis failpoint)',
      'zookeeper (--db zookeeper)',
      'fake hosts (faultline hosts up)',
      'iptables in a container netns',
      'tc netem (packet delay)',
      'libfaketime',
      'free disk',
    ]);
    expect(rows.find((x) => x.check === 'etcd binary')!.detail).toContain('3.4.23');
    expect(rows.find((x) => x.check === 'iptables in a container netns')!.ok).toBe(true);
    // netem has no kernel module here: doctor must say so rather than pretend.
    expect(rows.find((x) => x.check.startsWith('tc netem'))!.ok).toBe(false);
  });

  it('cluster up, status, down: 3 members with one leader, then nothing left', async () => {
    const up = await faultline(['cluster', 'up', '--nodes', '3', '--json']);
    expect(up.exitCode, String(up.stderr)).toBe(0);
    const cluster = JSON.parse(String(up.stdout)) as { runId: string; members: Array<{ node: string; up: boolean; leader: boolean }> };
    try {
      expect(cluster.members.map((m) => m.node)).toEqual(['n1', 'n2', 'n3']);
      const status = await faultline(['cluster', 'status', '--run', cluster.runId, '--json']);
      expect(status.exitCode).toBe(0);
      const members = (JSON.parse(String(status.stdout)) as typeof cluster).members;
      expect(members.every((m) => m.up)).toBe(true);
      expect(members.filter((m) => m.leader)).toHaveLength(1);
    } finally {
      const down = await faultline(['cluster', 'down', '--run', cluster.runId]);
      expect(down.exitCode).toBe(0);
    }
    expect(await leftovers(cluster.runId)).toEqual({ containers: 0, networks: 0 });
    const again = await faultline(['cluster', 'status', '--run', cluster.runId]);
    expect(again.exitCode).toBe(2);
    expect(String(again.stderr)).toContain(`no cluster with run id ${cluster.runId}`);
  });

  it('SIGINT while containers start: nothing is left behind', async () => {
    const child = execa('node', [CLI, 'cluster', 'up', '--nodes', '5'], { cwd: REPO_ROOT, reject: false, stdin: 'ignore' });
    // As soon as the first container of this child's run exists, interrupt it.
    const runId = await waitFor('a container of the new run', async () => {
      const list = await docker().listContainers({ all: true, filters: { label: [RUN_LABEL, 'faultline.mode=manual'] } });
      const mine = list.find((c) => c.Labels['faultline.owner']?.endsWith(`:${child.pid}`));
      return mine?.Labels[RUN_LABEL];
    }, 30_000, 20);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('SIGINT received');
    expect(await leftovers(runId)).toEqual({ containers: 0, networks: 0 });
  });

  it('clean removes the objects of a run whose controller died, and says what it removed', async () => {
    const dead = await execa('node', ['-e', 'process.stdout.write(String(process.pid))']);
    const runId = `deadrun-${dead.stdout}`;
    const labels = { [RUN_LABEL]: runId, 'faultline.owner': `${hostname()}:${dead.stdout}` };
    const net = await docker().createNetwork({ Name: `faultline-${runId}`, Internal: true, Labels: labels });
    const image = (await buildImage({ ...toolboxSpec(), name: 'toolbox' })).tag;
    await docker().createContainer({ name: `faultline-${runId}-n1`, Image: image, Cmd: ['/bin/sleep', '1'], Labels: labels, HostConfig: { NetworkMode: net.id } });
    const r = await faultline(['clean', '--json']);
    expect(r.exitCode).toBe(0);
    const removed = (JSON.parse(String(r.stdout)) as { removed: Array<{ runId: string; containers: string[]; networks: string[] }> }).removed;
    expect(removed.find((x) => x.runId === runId)).toEqual({ runId, containers: [`faultline-${runId}-n1`], networks: [`faultline-${runId}`] });
    expect(await leftovers(runId)).toEqual({ containers: 0, networks: 0 });
  });

  it('bad input exits 2 with a message naming the problem', async () => {
    const r = await faultline(['cluster', 'up', '--nodes', '0']);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toContain('--nodes must be an integer from 1 to 9');
    const db = await faultline(['cluster', 'up', '--db', 'mysql']);
    expect(db.exitCode).toBe(2);
    expect(String(db.stderr)).toMatch(/Invalid values:[\s\S]*mysql/);
  });
});

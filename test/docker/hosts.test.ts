// The SSH backend's machines for real: `faultline hosts up` starts containers
// that act like bare machines, the controller logs in over SSH, faultline's
// partition rules cut node-to-node traffic (never the controller's), a dropped
// or hung connection does not hang the controller, `clean --hosts` leaves each
// host exactly as found, and a host without iptables is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_ROOT, readHostsFile, requireTools, SshHost, SshOutcomeUnknown, surveyHost, type HostsFile } from '../../clusters/hosts/index.ts';
import { UserError } from '../../history/index.ts';
import { applyScript } from '../../nemeses/iptables.ts';
import { faultline } from '../support/cli.ts';
import { leftovers } from '../support/docker.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-hosts-'));
const hostsPath = join(dir, 'hosts.json');
let file: HostsFile;
const ssh: SshHost[] = [];

/** A TCP connect from one host to another's sshd, through busybox nc (exit 0: connected). */
const connects = async (from: SshHost, to: string) => (await from.exec(`echo | timeout 2 nc ${to} 22 >/dev/null 2>&1`, 10_000)).exitCode === 0;

describe('faultline hosts: fake machines over SSH', () => {
  beforeAll(async () => {
    const up = await faultline(['hosts', 'up', '--count', '2', '--file', hostsPath]);
    expect(up.exitCode, String(up.stderr)).toBe(0);
    file = readHostsFile(hostsPath);
    for (const h of file.hosts) ssh.push(new SshHost(h, { connectTimeoutMs: 10_000 }));
  }, 120_000);

  afterAll(async () => {
    for (const s of ssh) s.close();
    if (!file) return;
    const down = await faultline(['hosts', 'down', '--file', hostsPath]);
    expect(down.exitCode, String(down.stderr)).toBe(0);
    expect(await leftovers(file.containersRun!)).toEqual({ containers: 0, networks: 0 });
  }, 60_000);

  it('writes a hosts file the controller logs in with, on the internal network', async () => {
    expect(JSON.parse(readFileSync(hostsPath, 'utf8')).hosts).toHaveLength(2);
    expect((await ssh[0].run('echo hello; id -u')).split('\n').slice(0, 2)).toEqual(['hello', '0']);
    await requireTools(ssh[0]);
    expect(await connects(ssh[0], file.hosts[1].address)).toBe(true);
  });

  it('partition rules cut node-to-node traffic but not the controller; clean --hosts leaves the host as found', async () => {
    const [a, b] = ssh;
    const before = await a.run('iptables -S');
    // A rule of someone else's that faultline must leave alone.
    await a.run('iptables -A INPUT -s 192.0.2.7/32 -j ACCEPT');
    const theirs = await a.run('iptables -S');
    await a.run(applyScript('faultline-partition', { sources: [file.hosts[1].address] }));
    // A DB process and its files, as the backend leaves them when the controller dies.
    await a.run(`mkdir -p ${HOST_ROOT}/run1 && (sleep 300 >/dev/null 2>&1 & echo $! > ${HOST_ROOT}/run1/db.pid)`);
    expect(await connects(b, file.hosts[0].address)).toBe(false);
    expect((await a.run('echo still here')).trim()).toBe('still here'); // the control path is never cut
    const found = await surveyHost(a);
    expect(found.rules.length).toBeGreaterThanOrEqual(3);
    expect(found.processes).toHaveLength(1);
    expect(found.files).toBe(true);

    const clean = await faultline(['clean', '--hosts', hostsPath, '--json']);
    expect(clean.exitCode, String(clean.stdout) + String(clean.stderr)).toBe(0);
    expect(await surveyHost(a)).toEqual({ rules: [], processes: [], files: false, mounts: [] });
    expect(await a.run('iptables -S')).toBe(theirs);
    expect((await a.exec(`kill -0 ${found.processes[0]}`)).exitCode).not.toBe(0);
    expect(await connects(b, file.hosts[0].address)).toBe(true);
    await a.run('iptables -D INPUT -s 192.0.2.7/32 -j ACCEPT');
    expect(await a.run('iptables -S')).toBe(before);
  }, 60_000);

  it('a dropped connection is reported as outcome unknown and the next command reconnects', async () => {
    const a = ssh[0];
    const reconnects = a.reconnects;
    // The command kills its own sshd session: the controller loses the connection mid-command.
    await expect(a.exec('kill -9 $PPID; sleep 5', 10_000)).rejects.toBeInstanceOf(SshOutcomeUnknown);
    expect((await a.run('echo back')).trim()).toBe('back');
    expect(a.reconnects).toBe(reconnects + 1);
  }, 30_000);

  it('a hung command times out instead of hanging the controller', async () => {
    const t0 = Date.now();
    await expect(ssh[1].exec('sleep 30', 1_000)).rejects.toBeInstanceOf(SshOutcomeUnknown);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect((await ssh[1].run('echo alive')).trim()).toBe('alive');
  }, 30_000);

  it('an unreachable host fails within its connect deadline, with backoff, not forever', async () => {
    const nobody = new SshHost({ ...file.hosts[0], name: 'gone', port: 2 }, { connectTimeoutMs: 2_000 });
    const t0 = Date.now();
    await expect(nobody.run('true')).rejects.toThrow(/gone .*cannot connect over SSH/);
    expect(Date.now() - t0).toBeLessThan(8_000);
    nobody.close();
  }, 20_000);

  it('refuses a host without iptables, naming what is missing', async () => {
    const b = ssh[1];
    await b.run('mv /usr/sbin/iptables /usr/sbin/iptables.away');
    try {
      await expect(requireTools(b)).rejects.toBeInstanceOf(UserError);
      await expect(requireTools(b)).rejects.toThrow(/lacks iptables.*not supported/);
      const check = await faultline(['hosts', 'check', '--file', hostsPath]);
      expect(check.exitCode).toBe(2);
      expect(String(check.stdout)).toMatch(/n2: lacks iptables/);
    } finally {
      await b.run('mv /usr/sbin/iptables.away /usr/sbin/iptables');
    }
  }, 30_000);
});

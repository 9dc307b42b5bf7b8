// The iptables scripts (text) and the libfaketime control file, the latter
// against the real libfaketime with a real Node process on the host.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyScript, dropsFor, healScript, ourRules } from '../../nemeses/iptables.ts';
import { clockControl, faketimeEnv, faketimeEnvFor, processElapsedS, skewOffsetMs, writeClockControl, CLOCK_FILE } from '../../clusters/faketime.ts';
import { LIBFAKETIME } from '../../clusters/docker/toolbox.ts';

describe('iptables scripts', () => {
  it('apply: one restore batch for our chain, tagged rules, one jump from INPUT', () => {
    const s = applyScript('faultline-partition', { sources: ['10.0.0.12', '10.0.0.13'] });
    expect(s).toContain('iptables-restore --noflush');
    expect(s).toContain(':faultline-partition - [0:0]');
    expect(s).toContain('-A faultline-partition -s 10.0.0.12 -m comment --comment faultline -j DROP');
    expect(s).toContain('-A faultline-partition -s 10.0.0.13 -m comment --comment faultline -j DROP');
    expect(s).toMatch(/iptables -C INPUT .* \|\| iptables -I INPUT 1 -m comment --comment faultline -j faultline-partition/);
    expect(s).not.toContain('statistic');
  });

  it('loss adds a random drop probability, and refuses nonsense', () => {
    const s = applyScript('faultline-loss', { sources: ['10.0.0.12'], probability: 0.25 });
    expect(s).toContain('-s 10.0.0.12 -m statistic --mode random --probability 0.25 -m comment --comment faultline -j DROP');
    expect(() => applyScript('faultline-loss', { sources: [], probability: 0 })).toThrow(/probability/);
  });

  it('heal removes only our jumps and chains, and always succeeds', () => {
    const s = healScript(['faultline-partition']);
    expect(s).toContain('iptables -D INPUT -m comment --comment faultline -j faultline-partition');
    expect(s).toContain('iptables -X faultline-partition');
    expect(s).not.toContain('faultline-loss');
    expect(s.trim().endsWith('true')).toBe(true);
  });

  it('drops per node come from the grudge; nodes without one get none', () => {
    const ips: Record<string, string> = { n1: '10.0.0.11', n2: '10.0.0.12', n3: '10.0.0.13' };
    const d = dropsFor({ n2: ['n1'], n3: [] }, (n) => ips[n]);
    expect([...d.keys()]).toEqual(['n2']);
    expect(d.get('n2')?.sources).toEqual(['10.0.0.11']);
    expect(ourRules('-P INPUT ACCEPT\n-A INPUT -m comment --comment faultline -j x\n')).toHaveLength(1);
  });
});

describe('clock control', () => {
  it('writes libfaketime relative offsets in seconds, never with units', () => {
    expect(clockControl(0)).toBe('+0.000 x1\n');
    expect(clockControl(1500)).toBe('+1.500 x1\n');
    expect(clockControl(-250)).toBe('-0.250 x1\n');
    expect(clockControl(-3000, 2)).toBe('-3.000 x2\n');
    expect(clockControl(5, 0.5)).toBe('+0.005 x0.5\n');
    expect(faketimeEnv()).toEqual([
      `LD_PRELOAD=${LIBFAKETIME}`,
      `FAKETIME_TIMESTAMP_FILE=/faultline/${CLOCK_FILE}`,
      'FAKETIME_NO_CACHE=1',
      'FAKETIME_DONT_FAKE_MONOTONIC=1',
    ]);
  });

  it('skew starts without a jump; process age comes from /proc', () => {
    expect(skewOffsetMs(10, 2)).toBe(-10_000);
    expect(skewOffsetMs(10, 0.5)).toBe(5000);
    const stat = '14 (etcd server) S 0 14 14 0 -1 4194560 5990 0 0 0 6 1 0 0 20 0 7 0 131017 11944128512 6864';
    expect(processElapsedS(stat, '1311.82 1002.01')).toBeCloseTo(1311.82 - 1310.17, 5);
  });

  // The real library on the host: a Node process reads the control file on every clock call.
  it.skipIf(!existsSync(LIBFAKETIME))('a process under faketimeEnv follows bump, reset, skew and reset again written to its control file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-clock-'));
    const env = Object.fromEntries(faketimeEnvFor(join(dir, CLOCK_FILE)).map((kv) => kv.split(/=(.*)/s).slice(0, 2)));
    // The child prints (fake wall clock - real monotonic clock) whenever asked on stdin.
    const child = execa('node', ['-e', `
      const base = Date.now() - performance.now();
      process.stdin.on('data', () => process.stdout.write(String(Math.round(Date.now() - performance.now() - base)) + '\\n'));
    `], { env, stdin: 'pipe', stdout: 'pipe' });
    const lines: string[] = [];
    child.stdout!.on('data', (b: Buffer) => lines.push(...b.toString().trim().split('\n')));
    const ask = async (): Promise<number> => {
      const n = lines.length;
      child.stdin!.write('?\n');
      while (lines.length === n) await new Promise((r) => setTimeout(r, 5));
      return Number(lines[lines.length - 1]);
    };
    try {
      writeClockControl(dir, clockControl(0));
      expect(Math.abs(await ask())).toBeLessThan(50);
      writeClockControl(dir, clockControl(5000));
      expect(await ask()).toBeGreaterThan(4900);
      writeClockControl(dir, clockControl(-2500));
      expect(await ask()).toBeLessThan(-2400);
      writeClockControl(dir, clockControl(0));
      expect(Math.abs(await ask())).toBeLessThan(100);
      // Skew x2 from now on: no jump at the switch, then fake time runs twice as fast.
      const elapsed = processElapsedS(readFileSync(`/proc/${child.pid}/stat`, 'utf8'), readFileSync('/proc/uptime', 'utf8'));
      writeClockControl(dir, clockControl(skewOffsetMs(elapsed, 2), 2));
      const atSwitch = await ask();
      const realAtSwitch = performance.now();
      expect(Math.abs(atSwitch)).toBeLessThan(400);
      await new Promise((r) => setTimeout(r, 500));
      const later = await ask();
      // Fake time ran about twice as fast as real time: the offset grew by about the real time that passed
      // (measured, so a slow machine does not break it).
      const real = performance.now() - realAtSwitch;
      expect((later - atSwitch) / real).toBeGreaterThan(0.7);
      expect((later - atSwitch) / real).toBeLessThan(1.3);
      // A reset ends the skew too (libfaketime keeps a rate until told otherwise).
      writeClockControl(dir, clockControl(0));
      expect(Math.abs(await ask())).toBeLessThan(150);
    } finally {
      child.kill();
      await child.catch(() => undefined);
    }
  });
});

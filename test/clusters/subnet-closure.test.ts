// The pure parts of the Docker backend: picking a run subnet that collides
// with nothing, and reading ldd's output for an image's library closure.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { freeSubnet, overlaps, parseCidr, parseLdd, sharedLibraryClosure } from '../../clusters/index.ts';

describe('run subnets', () => {
  it('overlap is decided on the shorter prefix', () => {
    expect(overlaps(parseCidr('10.213.5.0/24')!, parseCidr('10.0.0.0/8')!)).toBe(true);
    expect(overlaps(parseCidr('10.213.5.0/24')!, parseCidr('10.213.6.0/24')!)).toBe(false);
    expect(overlaps(parseCidr('10.213.5.77/32')!, parseCidr('10.213.5.0/24')!)).toBe(true);
    expect(parseCidr('not a cidr')).toBeUndefined();
  });

  it('skips every used range and wraps around from the start offset', () => {
    const used = ['10.213.0.0/24', '10.213.1.0/24', '172.17.0.0/16'].map((c) => parseCidr(c)!);
    expect(freeSubnet(used)).toBe('10.213.2.0/24');
    expect(freeSubnet(used, 255)).toBe('10.213.255.0/24');
    expect(freeSubnet([parseCidr('10.213.255.0/24')!], 255)).toBe('10.213.0.0/24');
    // A host route covering the whole 10/8 leaves nothing: the caller must say so, not collide.
    expect(freeSubnet([parseCidr('10.0.0.0/8')!])).toBeUndefined();
  });
});

describe('library closure', () => {
  it('reads both ldd line shapes and drops the vdso', () => {
    const out = [
      '/usr/bin/x:',
      '\tlinux-vdso.so.1 (0x00007ffd)',
      '\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f01)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f02)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f03)',
      '/usr/bin/y:',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f02)',
    ].join('\n');
    expect(parseLdd(out)).toEqual(['/lib/x86_64-linux-gnu/libm.so.6', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
  });

  it('finds the real closure of a host binary (loader and libc included)', async () => {
    const libs = await sharedLibraryClosure([process.execPath]);
    expect(libs.some((l) => /\/libc\.so\.6$/.test(l))).toBe(true);
    expect(libs.some((l) => /ld-linux/.test(l))).toBe(true);
    expect(libs.every((l) => existsSync(l))).toBe(true);
  });
});

// Pick a /24 for a run's bridge network that overlaps nothing the host or
// the engine already uses.
import { networkInterfaces } from 'node:os';

export interface Cidr {
  base: number; // network address as an unsigned 32-bit integer
  bits: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const m = text.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/);
  if (!m) return undefined;
  const bits = Number(m[5]);
  const ip = ipToInt(`${m[1]}.${m[2]}.${m[3]}.${m[4]}`);
  return { base: bits === 0 ? 0 : (ip & (~0 << (32 - bits))) >>> 0, bits };
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const bits = Math.min(a.bits, b.bits);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((a.base & mask) >>> 0) === ((b.base & mask) >>> 0);
}

/** Subnets of the host's own interfaces (never hand one of these to a run). */
export function hostSubnets(): Cidr[] {
  const out: Cidr[] = [];
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && a.cidr) out.push(parseCidr(a.cidr)!);
  }
  return out;
}

/** Candidate /24s in 10.213.0.0/16, starting at an offset so parallel runs spread out. */
export function freeSubnet(used: Cidr[], startAt = 0): string | undefined {
  for (let i = 0; i < 256; i++) {
    const third = (startAt + i) % 256;
    const candidate = { base: ipToInt(`10.213.${third}.0`), bits: 24 };
    if (!used.some((u) => overlaps(u, candidate))) return `10.213.${third}.0/24`;
  }
  return undefined;
}

import { describe, expect, it } from 'vitest';
import { freePort } from '../../clusters/local-ports.ts';

describe('freePort', () => {
  it('never hands out one port twice in a process, even to concurrent callers', async () => {
    const ports = await Promise.all(Array.from({ length: 200 }, () => freePort()));
    expect(new Set(ports).size).toBe(200);
    for (const p of ports) expect(p < 32_768 && p >= 20_000).toBe(true);
  });

});

import { randomBytes } from 'node:crypto';

/** A run id that sorts by time and is unique across parallel runs: 20261123T181501-3fa2. */
export function makeRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

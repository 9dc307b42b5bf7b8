// What the v3 gateway streams for a watch, decoded into history items:
// proto3 JSON leaves defaults out (no type = PUT), 64-bit numbers are strings.
import { describe, expect, it } from 'vitest';
import { decodeWatchResponse } from '../../workloads/watch/index.ts';

const b = (s: string) => Buffer.from(s).toString('base64');

describe('decodeWatchResponse', () => {
  it('skips the created acknowledgement', () => {
    expect(decodeWatchResponse({ header: { revision: '7' }, created: true })).toBeUndefined();
  });

  it('decodes events with their prev_kv; a missing type is PUT', () => {
    const item = decodeWatchResponse({
      header: { revision: '9' },
      events: [
        { kv: { key: b('watch/k1'), value: b('2.5'), mod_revision: '9', create_revision: '4', version: '3' }, prev_kv: { key: b('watch/k1'), value: b('0.1'), mod_revision: '6', create_revision: '4', version: '2' } },
        { type: 'DELETE', kv: { key: b('watch/k2'), mod_revision: '9' } },
      ],
    });
    expect(item).toEqual({
      kind: 'events',
      revision: 9,
      events: [
        { type: 'PUT', key: 'watch/k1', value: '2.5', mod: 9, create: 4, version: 3, prev: { value: '0.1', mod: 6, create: 4, version: 2 } },
        { type: 'DELETE', key: 'watch/k2', value: '', mod: 9, create: 0, version: 0 },
      ],
    });
  });

  it('reads a bare header as a progress notification, and a cancel with its compaction', () => {
    expect(decodeWatchResponse({ header: { revision: '12' } })).toEqual({ kind: 'progress', revision: 12 });
    expect(decodeWatchResponse({ header: { revision: '12' }, canceled: true, compact_revision: '10', cancel_reason: 'compacted' })).toEqual({ kind: 'canceled', reason: 'compacted', compactRevision: 10 });
  });
});

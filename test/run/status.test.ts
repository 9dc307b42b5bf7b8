import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RunStats, formatStatus, startStatus } from '../../harness/run/index.ts';

describe('live status', () => {
  it('formats elapsed/limit, ops/s, counts and active faults', () => {
    const s = new RunStats();
    s.phase = 'main';
    s.ok = 10;
    s.fail = 2;
    s.info = 1;
    s.fault('start-partition', 'ok');
    s.fault('start-kill', 'info');
    s.fault('start-clock', 'fail'); // definitely not applied
    expect(formatStatus(s, 12.4e9, 60, 1234.4)).toBe('[12/60s] 1234 ops/s | ok 10 fail 2 info 1 | faults: partition,kill');
    s.fault('stop-partition', 'ok');
    expect(formatStatus(s, 0, 60, 0)).toContain('faults: kill');
    s.fault('stop-all', 'ok');
    s.phase = 'final';
    expect(formatStatus(s, 0, 60, 0)).toBe('[final] 0 ops/s | ok 10 fail 2 info 1 | faults: none');
  });

  it('rewrites one line on a TTY, prints plain lines otherwise', async () => {
    for (const mode of ['tty', 'lines'] as const) {
      let text = '';
      const stream = new Writable({ write: (chunk, _enc, cb) => ((text += String(chunk)), cb()) });
      const s = new RunStats();
      const display = startStatus(s, { stream, timeLimit: 5, clock: () => 0, mode, intervalMs: 5 });
      await new Promise((r) => setTimeout(r, 30));
      display.stop();
      if (mode === 'tty') {
        expect(text.startsWith('\r[setup]')).toBe(true);
        expect(text.split('\n').length).toBe(2); // one final newline only
      } else {
        expect(text.split('\n').filter(Boolean).every((l) => l.startsWith('[setup]'))).toBe(true);
        expect(text.includes('\r')).toBe(false);
      }
    }
  });
});

// Bad input is refused at once with exit 2 and a message naming the problem,
// before any run folder exists; history values cannot drive the terminal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, faultline } from '../support/cli.ts';
import { terminalSafe } from '../../cli/terminal.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-bad-input-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('faultline test refuses bad options before it starts anything', () => {
  const store = path.join(dir, 'store');
  it.each([
    [['--db', 'memory', '--nodes', '2.5'], /--nodes must be a whole number from 1 to 64, or node names; got "2\.5"/],
    [['--db', 'memory', '--nodes', 'n1,n1,n2'], /--nodes: n1 is named twice/],
    [['--db', 'memory', '--nodes', 'n1,$(x)'], /--nodes: "\$\(x\)" is not a node name/],
    [['--db', 'memory', '--op-timeout', '0'], /--op-timeout must be a positive number, got 0/],
    [['--db', 'memory', '--concurrency', '1.5'], /--concurrency must be a whole number/],
    [['--db', 'raftkv', '--nemesis', 'nosuchfault'], /unknown nemesis "nosuchfault"[\s\S]*Known: partition/],
    [['--db', 'raftkv', '--nemesis', ',,'], /--nemesis ",," names no fault/],
    [['--db', 'raftkv', '--nemesis', 'none,kill'], /none means no faults, so it cannot be combined/],
    [['--db', 'raftkv', '--nodes', '1', '--nemesis', 'partition', '--time-limit', '30'], /needs at least 2 nodes, the cluster has 1/],
    [['--db', 'memory', '--junit', '/nonexistent/x.xml'], /--junit \/nonexistent\/x\.xml: the folder \/nonexistent does not exist/],
    [['--db', 'nosuch'], /unknown --db "nosuch"; known: etcd, raftkv, memory/],
  ])('%j', async (args, message) => {
    const r = await faultline(['test', ...args, '--time-limit', '1', '--store', store]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(store)).toBe(false);
  });
});

describe('faultline check output', () => {
  const history = path.join(dir, 'h.jsonl');
  const evil = '\u001b[2J\u001b[Hvalid  all good\r';
  fs.writeFileSync(
    history,
    [
      { index: 0, time: 0, process: 0, type: 'invoke', f: 'write', value: 1 },
      { index: 1, time: 1, process: 0, type: 'ok', f: 'write', value: 1 },
      { index: 2, time: 2, process: 1, type: 'invoke', f: 'read', value: null },
      { index: 3, time: 3, process: 1, type: 'ok', f: 'read', value: evil },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n') + '\n',
  );

  it('escapes control characters a history value carries', async () => {
    const r = await faultline(['check', history, '--model', 'register']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).not.toMatch(/\u001b|\r/);
    expect(r.stdout).toContain('\\u001b[2J');
    expect(terminalSafe('a\u0007b\tc\nd')).toBe('a\\u0007b\tc\\u000ad');
  });

  it('--report naming a file and --junit in a missing folder are user errors', async () => {
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'x');
    const report = await faultline(['check', history, '--report', file]);
    expect(report.exitCode).toBe(2);
    expect(report.stderr).toMatch(/--report .*a-file: .*(file|in the way)/);
    expect(report.stderr).not.toMatch(/ENOTDIR/);
    const junit = await faultline(['check', history, '--junit', '/nonexistent/j.xml']);
    expect(junit.exitCode).toBe(2);
    expect(junit.stderr).toMatch(/the folder \/nonexistent does not exist/);
  });

  it('a reader that goes away (| head -1) ends it quietly, no EPIPE stack', async () => {
    const many = Array.from({ length: 300 }, () => history);
    const r = await execa('bash', ['-c', `node ${CLI} check ${many.join(' ')} --model register | head -1`], { reject: false, env: { FORCE_COLOR: '0' } });
    expect(r.stdout.split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });
});

describe('faultline serve', () => {
  it('warns when it binds beyond this machine (no authentication)', async () => {
    const child = execa('node', [CLI, 'serve', '--host', '127.0.0.2', '--port', '0', '--store', dir], { reject: false, env: { FORCE_COLOR: '0' } });
    let err = '';
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('Ctrl-C')) resolve();
      });
    });
    child.kill('SIGTERM');
    await child;
    expect(err).toMatch(/--host 127\.0\.0\.2 makes the store .* readable from other machines/);
  });
});

describe('when the process that started faultline goes away (npx killed by a CI timeout)', () => {
  it('the run stops as on SIGTERM: healed, torn down, results say so', async () => {
    const store = path.join(dir, 'orphan-store');
    const pidFile = path.join(dir, 'orphan.pid');
    // The shell starts faultline in the background and exits: faultline is orphaned, as under a killed npx.
    await execa('bash', ['-c', `node ${CLI} test --db memory --nemesis partition --time-limit 60 --store ${store} >/dev/null 2>&1 & echo $! > ${pidFile}; sleep 3`]);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    const started = Date.now();
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    while (alive() && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 200));
    expect(alive()).toBe(false);
    const results = JSON.parse(fs.readFileSync(path.join(store, 'latest', 'results.json'), 'utf8'));
    expect(results.valid).toBe('unknown');
    expect(results.checkers[0].summary).toMatch(/interrupted by SIGTERM/);
  });
});

describe('leftovers of killed controllers', () => {
  it('are named at the start of a test, with the way to remove them; live and manual runs are not', async () => {
    const { leftoversWarning } = await import('../../cli/leftovers.ts');
    const run = (runId: string, ownerAlive: boolean, mode = 'test') => ({ runId, mode, ownerAlive, containers: ['a', 'b'], networks: ['n'] });
    expect(leftoversWarning([run('r1', true), run('r2', false, 'manual')])).toBeUndefined();
    expect(leftoversWarning([run('r1', true), run('r3', false)])).toBe('1 run(s) whose controller died left Docker objects behind: r3 (2 containers, 1 networks); remove them with `faultline clean`');
  });
});

// The Maelstrom shim as it runs in a node, but on this machine: the real
// bundle, three shims on 127.0.0.1 carrying messages over UDP, the
// primary-store example (examples/maelstrom-primary) as their nodes, and
// faultline's register client in front. Kills and pauses are real signals
// to the node process named in its pid file, as the nemeses send them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../clusters/local-ports.ts';
import { shimBundleText } from '../../clusters/defined/maelstrom/bundle.ts';
import { MaelstromRegisterClient, MaelstromTxnClient } from '../../workloads/index.ts';
import type { Completion, Op } from '../../history/index.ts';

const PYTHON = '/usr/bin/python3.11';
const NODES = ['n1', 'n2', 'n3'];
const EXAMPLES = join(import.meta.dirname, '../../examples');

describe.skipIf(!existsSync(PYTHON))('the Maelstrom shim, outside Docker', () => {
  let dir: string;
  const shims: ChildProcess[] = [];
  const http: Record<string, string> = {};
  const folder = (node: string) => join(dir, node);
  const pidOf = (node: string) => Number(readFileSync(join(folder(node), 'kv.pid'), 'utf8'));
  const primaryArgv = (node: string) => [PYTHON, '-S', join(dir, 'app', 'node.py'), join(folder(node), 'data')];

  const post = async (node: string, path: string, body: unknown) => {
    const res = await fetch(`${http[node]}${path}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const start = (node: string, argv = primaryArgv(node)) => post(node, '/start', { argv, env: [], nodeIds: NODES, initTimeoutMs: 5000 });
  const health = async (node: string) => (await (await fetch(`${http[node]}/health`)).json()) as Record<string, unknown>;

  let nextIndex = 0;
  const invoke = async (node: string, f: string, value: unknown, timeoutMs = 2000): Promise<Completion> => {
    const client = new MaelstromRegisterClient({ urls: http, timeoutMs });
    await client.open(node);
    return client.invoke({ index: nextIndex++, time: 0, process: 0, type: 'invoke', f, value } as Op);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-shim-'));
    writeFileSync(join(dir, 'shim.mjs'), shimBundleText());
    mkdirSync(join(dir, 'app'));
    copyFileSync(join(EXAMPLES, 'maelstrom-primary/node.py'), join(dir, 'app/node.py'));
    copyFileSync(join(EXAMPLES, 'maelstrom-common/maelstrom.py'), join(dir, 'app/maelstrom.py'));
    const udp = await Promise.all(NODES.map(() => freePort({ udp: true })));
    const peers = NODES.map((n, i) => `${n}=127.0.0.1:${udp[i]}`).join(',');
    for (const node of NODES) {
      mkdirSync(folder(node));
      const port = await freePort({ udp: true });
      http[node] = `http://127.0.0.1:${port}`;
      shims.push(spawn(process.execPath, [join(dir, 'shim.mjs'), '--node', node, '--peers', peers, '--dir', folder(node), '--process', 'kv', '--client-port', String(port), '--host', '127.0.0.1'], { stdio: 'ignore' }));
    }
    for (const node of NODES) {
      for (let i = 0; i < 100 && !(await health(node).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    // SIGTERM: each shim kills its node first.
    await Promise.all(shims.map((s) => new Promise((resolve) => (s.exitCode !== null ? resolve(null) : (s.once('exit', resolve), s.kill('SIGTERM'))))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts each node with init and writes its pid file', async () => {
    for (const node of NODES) {
      const r = await start(node);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(pidOf(node)).toBe(r.body.pid);
      expect(await health(node)).toMatchObject({ node, pid: r.body.pid, initialized: true });
    }
  });

  it('refuses a second start while the node runs', async () => {
    const r = await start('n2');
    expect(r.status).toBe(409);
    expect(r.body.error).toMatch(/already running/);
  });

  it('carries requests between nodes: written through n2, read through n3', async () => {
    expect(await invoke('n2', 'write', [1, 10])).toEqual({ type: 'ok', value: [1, 10] });
    expect(await invoke('n3', 'read', [1, null])).toEqual({ type: 'ok', value: [1, 10] });
    expect(await invoke('n3', 'cas', [1, [10, 11]])).toEqual({ type: 'ok', value: [1, [10, 11]] });
    expect(await invoke('n1', 'cas', [1, [10, 12]])).toMatchObject({ type: 'fail', error: expect.stringMatching(/^precondition-failed \(22\)/) });
    expect(await invoke('n2', 'cas', [2, [1, 2]])).toMatchObject({ type: 'fail', error: expect.stringMatching(/^key-does-not-exist \(20\)/) });
    expect(await invoke('n2', 'read', [2, null])).toEqual({ type: 'ok', value: [2, null] });
  });

  it('a killed node: its requests fail at once, those through a peer time out; restarted, it keeps what it made durable', async () => {
    process.kill(pidOf('n1'), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    expect(await invoke('n1', 'write', [1, 13])).toMatchObject({ type: 'fail', error: expect.stringMatching(/not running \(it was killed by SIGKILL\)/) });
    expect(await invoke('n2', 'write', [1, 14], 500)).toMatchObject({ type: 'info', error: expect.stringMatching(/^timeout/) });
    expect(await invoke('n2', 'read', [1, null], 500)).toMatchObject({ type: 'fail' });
    expect((await start('n1')).status).toBe(200);
    expect(await invoke('n2', 'read', [1, null])).toEqual({ type: 'ok', value: [1, 11] });
  });

  it('a paused node: messages to it wait, and it answers them once resumed', async () => {
    const pid = pidOf('n1');
    process.kill(pid, 'SIGSTOP');
    try {
      expect(await invoke('n3', 'write', [3, 30], 300)).toMatchObject({ type: 'info' });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // The queued write reached n1 when it resumed.
    let read: Completion | undefined;
    for (let i = 0; i < 20 && (read = await invoke('n3', 'read', [3, null])).type !== 'ok'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(read).toEqual({ type: 'ok', value: [3, 30] });
  });

  it('a node that writes garbage on stdout is refused at start, the line quoted, the protocol explained', async () => {
    process.kill(pidOf('n3'), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const r = await start('n3', ['/bin/sh', '-c', 'echo "Starting node..."; sleep 5']);
    expect(r.status).toBe(502);
    expect(r.body.error).toContain('node n3 wrote a line to stdout that is not a Maelstrom message (it is not JSON): "Starting node..."');
    expect(r.body.error).toMatch(/one per line.*stderr/);
    expect(await health('n3')).toMatchObject({ initialized: false });
  });

  it('a node that dies before init: its exit and the end of its stderr', async () => {
    const r = await start('n3', ['/bin/sh', '-c', 'echo "ImportError: no module named foo" >&2; exit 1']);
    expect(r.status).toBe(502);
    expect(r.body.error).toMatch(/exited with code 1 before it answered init; its stderr ended with:\nImportError: no module named foo/);
  });

  it('garbage after init answers the request it held with the explanation; a call to a Maelstrom service is not-supported', async () => {
    const script = [
      'import json, sys',
      'def out(dest, body): print(json.dumps({"src": me, "dest": dest, "body": body}), flush=True)',
      'for line in sys.stdin:',
      '    m = json.loads(line); b = m["body"]',
      '    if b["type"] == "init": me = b["node_id"]; out(m["src"], {"type": "init_ok", "in_reply_to": b["msg_id"]})',
      '    elif b["type"] == "read": print("read called!", flush=True)',
      '    elif b["type"] == "write": client = m; out("lin-kv", {"type": "read", "key": 1, "msg_id": 99})',
      '    elif b.get("in_reply_to") == 99: out(client["src"], dict(b, in_reply_to=client["body"]["msg_id"]))',
    ].join('\n');
    expect((await start('n3', [PYTHON, '-S', '-c', script])).status).toBe(200);
    expect(await invoke('n3', 'write', [5, 1])).toMatchObject({ type: 'fail', error: expect.stringMatching(/^not-supported \(10\): faultline provides no lin-kv service/) });
    expect(await invoke('n3', 'read', [5, null])).toMatchObject({ type: 'fail', error: expect.stringContaining('not a Maelstrom message (it is not JSON): "read called!"') });
  });

  it('txn-list-append: a txn request and its txn_ok as the append workload sees them', async () => {
    process.kill(pidOf('n3'), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const script = [
      'import json, sys',
      'lists = {}',
      'for line in sys.stdin:',
      '    m = json.loads(line); b = m["body"]',
      '    if b["type"] == "init": me = b["node_id"]; reply = {"type": "init_ok"}',
      '    else:',
      '        done = []',
      '        for f, k, v in b["txn"]:',
      '            if f == "r": done.append([f, k, list(lists[k]) if k in lists else None])',
      '            else: lists.setdefault(k, []).append(v); done.append([f, k, v])',
      '        reply = {"type": "txn_ok", "txn": done}',
      '    print(json.dumps({"src": me, "dest": m["src"], "body": dict(reply, in_reply_to=b["msg_id"])}), flush=True)',
    ].join('\n');
    expect((await start('n3', [PYTHON, '-S', '-c', script])).status).toBe(200);
    const client = new MaelstromTxnClient({ urls: http, timeoutMs: 2000 });
    await client.open('n3');
    const txn = (value: unknown) => client.invoke({ index: nextIndex++, time: 0, process: 0, type: 'invoke', f: 'txn', value } as Op);
    expect(await txn([['r', 1, null], ['append', 1, 1], ['append', 1, 2]])).toEqual({ type: 'ok', value: [['r', 1, []], ['append', 1, 1], ['append', 1, 2]] });
    expect(await txn([['r', 1, null], ['r', 2, null]])).toEqual({ type: 'ok', value: [['r', 1, [1, 2]], ['r', 2, []]] });
  });
});

// A malformed history is refused when it is read, naming the line and what
// was expected: a checker given one would answer valid or invalid about
// something that never happened. Each case here was accepted before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryFileError, parseEdnHistory, parseJsonlHistory, loadHistoryFile } from '../../history/formats/index.ts';
import { REPO_ROOT } from '../support/cli.ts';

const line = (index: number, process: unknown, type: string, f: string, value: unknown, time = index * 1000) => JSON.stringify({ index, time, process, type, f, value });
const jsonl = (...lines: string[]) => lines.join('\n') + '\n';
const refused = (text: string) => () => parseJsonlHistory(text, 'h.jsonl');

describe('the structure every history must have', () => {
  it('accepts a well-formed history with open invokes and nemesis steps', () => {
    const h = parseJsonlHistory(
      jsonl(line(0, 0, 'invoke', 'write', 1), line(1, 'nemesis', 'info', 'start', null), line(2, 0, 'ok', 'write', 1), line(3, 1, 'invoke', 'read', null)),
    );
    expect(h).toHaveLength(4);
  });

  it.each([
    ['a completion before its invoke', [line(0, 0, 'ok', 'write', 1), line(1, 0, 'invoke', 'write', 1)], /h\.jsonl:1: ok write of process 0 completes nothing/],
    ['a completion with no invoke', [line(0, 0, 'invoke', 'write', 1), line(1, 0, 'ok', 'write', 1), line(2, 0, 'ok', 'write', 1)], /h\.jsonl:3: ok write of process 0 completes nothing/],
    ['a second invoke on a process with one open', [line(0, 0, 'invoke', 'write', 1), line(1, 0, 'invoke', 'read', null)], /h\.jsonl:2: process 0 invokes read while its write \(op #0\) has not completed/],
    ['duplicate indexes', [line(0, 0, 'invoke', 'write', 1), line(0, 0, 'ok', 'write', 1)], /h\.jsonl:2: index 0 appears twice/],
    ['a completion whose f differs from its invoke', [line(0, 0, 'invoke', 'write', 1), line(1, 0, 'ok', 'read', 1)], /h\.jsonl:2: ok read of process 0 completes an invoke of write/],
    ['times running backwards', [line(0, 0, 'invoke', 'write', 1, 5000), line(1, 0, 'ok', 'write', 1, 4000)], /h\.jsonl:2: time 4000 runs backwards/],
    ['a fractional process', [line(0, 1.5, 'invoke', 'write', 1)], /h\.jsonl:1: process 1.5 is not a whole number/],
    ['an integer beyond 2^53 (read back as its neighbour)', [line(0, 0, 'invoke', 'write', 1), '{"index":1,"time":1,"process":0,"type":"ok","f":"write","value":9007199254740993}'], /h\.jsonl:2: the integer 9007199254740992 is beyond/],
  ])('refuses %s, naming the line', (_name, lines, message) => {
    expect(refused(jsonl(...(lines as string[])))).toThrow(HistoryFileError);
    expect(refused(jsonl(...(lines as string[])))).toThrow(message as RegExp);
  });

  it('EDN: a big integer is refused with its line (no BigInt crash), and an op inside a vector is named by its own line', () => {
    const big = '[{:process 0 :type :invoke :f :write :value 1}\n {:process 0 :type :ok :f :write :value 1}\n {:process 1 :type :invoke :f :write :value 99999999999999999999}]';
    expect(() => parseEdnHistory(big, 'b.edn')).toThrow(/b\.edn:3: the integer 99999999999999999999 is beyond/);
    const bad = '[{:process 0 :type :invoke :f :read}\n {:process 0 :type :ok :f :read :value 1}\n\n\n {:process 0 :type :ok :f :read :value 2}]';
    expect(() => parseEdnHistory(bad, 'v.edn')).toThrow(/v\.edn:5: ok read of process 0 completes nothing/);
    const notAnOp = '[{:process 0 :type :invoke :f :read}\n\n {:process 0 :type :okay :f :read}]';
    expect(() => parseEdnHistory(notAnOp, 'w.edn')).toThrow(/w\.edn:3: expected :type/);
  });

  it('Knossos EDN keeps its slightly out-of-order :time (history order is what counts there)', () => {
    const h = parseEdnHistory('[{:process 0 :type :invoke :f :read :time 20} {:process 0 :type :ok :f :read :value nil :time 10}]');
    expect(h).toHaveLength(2);
  });
});

describe('files faultline check refuses, and the ones it reads on after', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-structure-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('bytes that are not UTF-8 are refused with their line, and a bad file does not stop the check of the next', async () => {
    const good = path.join(dir, 'good.jsonl');
    fs.writeFileSync(good, jsonl(line(0, 0, 'invoke', 'write', 1), line(1, 0, 'ok', 'write', 1)));
    const latin1 = path.join(dir, 'latin1.jsonl');
    fs.writeFileSync(latin1, Buffer.concat([Buffer.from(jsonl(line(0, 0, 'invoke', 'write', 'a'))), Buffer.from('{"index":1,"time":1,"process":0,"type":"ok","f":"write","value":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    expect(() => loadHistoryFile(latin1)).toThrow(/latin1\.jsonl:2: bytes that are not UTF-8 text/);
    const big = path.join(dir, 'big.edn');
    fs.writeFileSync(big, '[{:process 0 :type :invoke :f :write :value 99999999999999999999}]');
    const r = await execa('node', [path.join(REPO_ROOT, 'bin/faultline.mjs'), 'check', latin1, big, good, '--model', 'register'], { reject: false, env: { FORCE_COLOR: '0' } });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/error .*latin1\.jsonl:2: bytes that are not UTF-8 text/);
    expect(r.stdout).toMatch(/error .*big\.edn:1: the integer 99999999999999999999/);
    expect(r.stdout).toMatch(/valid .*good\.jsonl/);
  });
});

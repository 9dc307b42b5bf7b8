// File corruption, like Jepsen's bitflip/truncate: with the DB of a minority
// of nodes killed, flip bits in (or truncate) one of its data files, chosen
// by class (the DB's dataFiles: WAL/log, snapshot, data), each node in its
// own slice of the file (corrupt-bytes.ts); then start it again and record
// what it did: refused to start (the log says why), or served. A node that
// serves corrupted data silently is for the checkers to catch. A node that
// refused gets its file back as it was (its own durable state, restored as
// from a backup), so the run goes on with every node.
//
// Evidence: per node, the file, its class, the change, and that the bytes
// read back differ from the original (start); per node, served or refused
// and why (stop).
import { createHash } from 'node:crypto';
import type { DockerClusterInfo } from '../clusters/index.ts';
import { NODE_DIR } from '../clusters/index.ts';
import { Random } from '../generator/index.ts';
import { UserError, type Completion, type FaultEffect, type JsonValue } from '../history/index.ts';
import { applyCorruption, chooseFile, describeCorruption, planCorruption, type CorruptKind, type Corruption, type DataFile } from './corrupt-bytes.ts';
import { eachNode } from './effect.ts';
import { sh, sortNodes, type Fault, type FaultSpec, type NemesisDbTraits } from './fault.ts';
import { byNode, killDb, restartWhereDown, waitAnswering } from './process.ts';
import { pickTargets } from './targets.ts';

/** Refuse before the run a DB that names no data files. */
export function assertCorruptSupported(db: Pick<NemesisDbTraits, 'name' | 'dataDir' | 'dataFiles'>): void {
  if (!db.dataDir || !db.dataFiles || Object.keys(db.dataFiles).length === 0) {
    throw new UserError(`--nemesis corrupt needs the data directory and data files of ${db.name}, and it declares none`, 'raftkv, etcd and zookeeper declare them; a system definition declares them as node.dataFiles (class -> glob in node.dataDir).');
  }
}

interface Corrupted {
  path: string;
  original: { data: Buffer; mode: number };
  pid?: number;
}

const describeFound = (classes: Record<string, DataFile[]>): string =>
  Object.entries(classes).map(([c, fs]) => `${c}: ${fs.map((f) => `${f.file} (${f.size} bytes)`).join(', ') || 'none'}`).join('; ');
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex').slice(0, 16);
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export class CorruptFault implements Fault {
  readonly kind = 'corrupt';
  private corrupted = new Map<string, Corrupted>();

  async start(spec: FaultSpec, info: DockerClusterInfo): Promise<Completion> {
    const db = info.db;
    assertCorruptSupported(db);
    const random = new Random(spec.seed);
    const nodes = sortNodes(pickTargets('minority', info.nodes, random));
    const { results, errors } = await eachNode(nodes, async (n) => {
      const classes = await this.filesByClass(info, n);
      const chosen = chooseFile(classes, info.nodes.length, random);
      if (!chosen) throw new Error(`no data file of ${db.name} in ${db.dataDir} has a byte for each of ${info.nodes.length} nodes (looked for ${Object.values(db.dataFiles!).join(', ')}; found ${describeFound(classes)})`);
      const { fileClass } = chosen;
      const path = `${db.dataDir}/${chosen.file.file}`;
      const { pid } = await killDb(info, n);
      const original = await info.cluster.readFileBytes(n, path);
      const change: Corruption = planCorruption(spec.variant as CorruptKind, original.data.length, { index: info.nodes.indexOf(n), count: info.nodes.length }, random);
      this.corrupted.set(n, { path, original, pid });
      await info.cluster.writeFile(n, path, applyCorruption(original.data, change), original.mode);
      const readBack = await info.cluster.readFileBytes(n, path);
      const changed = !readBack.data.equals(original.data);
      return {
        effect: (changed ? 'took-effect' : 'no-effect') as FaultEffect,
        seen: { pid, fileClass, file: path, change: describeCorruption(change), region: change.region, shaBefore: sha(original.data), shaAfter: sha(readBack.data) } as Record<string, JsonValue>,
      };
    });
    const what = [...results].map(([n, r]) => `${r.seen.file} on ${n}: ${r.seen.change}`).join('; ');
    const value = { fault: 'corrupt', nodes, description: `${spec.variant} with ${db.name} down: ${what || 'nothing'}`, variant: spec.variant };
    return byNode(value, results, errors, (n, s) => `${n}: ${s.fileClass} ${s.file} ${s.change} (sha ${s.shaBefore} -> ${s.shaAfter})`);
  }

  /** Start the DB on its corrupted file; where it refuses, give the file back and start it again. */
  async stop(info: DockerClusterInfo): Promise<Completion> {
    const nodes = sortNodes(this.corrupted.keys());
    const pending = new Map(this.corrupted);
    this.corrupted.clear();
    const logFrom = new Map<string, number>();
    for (const n of nodes) logFrom.set(n, (await this.readLog(info, n)).length);
    const { perNode, errors } = await restartWhereDown(info, new Map([...pending].map(([n, c]) => [n, c.pid])));
    const refused = nodes.filter((n) => perNode.get(n)?.seen.readyMs === null);
    const reasons = new Map<string, string>();
    for (const n of refused) reasons.set(n, await this.whyRefused(info, n, logFrom.get(n) ?? 0));
    const t0 = performance.now();
    const { errors: restoreErrors } = await eachNode(refused, (n) => this.restore(info, n, pending.get(n)!));
    const { ready } = await waitAnswering(info, refused, t0);
    const value = { fault: 'corrupt', nodes, description: `restarted ${info.db.name} on ${nodes.join(' ') || 'no node'}: ${nodes.map((n) => `${n} ${refused.includes(n) ? 'refused the corrupted file' : 'served'}`).join(', ')}` };
    for (const n of nodes) {
      const p = perNode.get(n);
      if (!p) continue;
      if (refused.includes(n)) p.seen = { ...p.seen, outcome: 'refused', reason: reasons.get(n) ?? '', restoredReadyMs: ready.get(n) ?? null };
      else p.seen = { ...p.seen, outcome: 'served' };
      // A refusal is the DB doing right; the stop took effect once the node answers again, either way.
      p.effect = p.seen.readyMs !== null || ready.has(n) ? 'took-effect' : 'no-effect';
    }
    return byNode(value, perNode, [...errors, ...restoreErrors], (n, s) =>
      s.outcome === 'refused' ? `${n}: refused to start (${s.reason}); file restored, answering after ${s.restoredReadyMs} ms` : `${n}: served on the corrupted file, answering after ${s.readyMs} ms`,
    );
  }

  /** The final heal: nodes still holding a corrupted file get it back (the stop never ran). */
  async heal(info: DockerClusterInfo): Promise<void> {
    const pending = [...this.corrupted];
    this.corrupted.clear();
    for (const [n, c] of pending) if (!(await info.cluster.isRunning(n, info.db.name))) await this.restore(info, n, c);
  }

  forget(): void {
    this.corrupted.clear();
  }

  /** Non-empty files per class, relative to the data directory, in glob order, with their sizes. */
  private async filesByClass(info: DockerClusterInfo, node: string): Promise<Record<string, DataFile[]>> {
    const out: Record<string, DataFile[]> = {};
    for (const [cls, glob] of Object.entries(info.db.dataFiles!)) {
      // Two lines per file, its `ls -ln` line (size in field 5) then its name: the images have ls but no stat.
      const listed = await sh(info, node, `cd ${quote(info.db.dataDir!)} 2>/dev/null || exit 0\nfor f in ${glob}; do [ -f "$f" ] && [ -s "$f" ] && ls -lnd -- "$f" && printf '%s\\n' "$f"; done; exit 0`);
      const lines = listed.split('\n').filter(Boolean);
      out[cls] = [];
      for (let i = 0; i + 1 < lines.length; i += 2) out[cls].push({ file: lines[i + 1], size: Number(lines[i].trim().split(/\s+/)[4]) });
    }
    return out;
  }

  /** Put the original bytes back and start the DB (data kept). */
  private async restore(info: DockerClusterInfo, node: string, c: Corrupted): Promise<void> {
    if (await info.cluster.isRunning(node, info.db.name)) await killDb(info, node);
    await info.cluster.writeFile(node, c.path, c.original.data, c.original.mode);
    await info.db.start(info.cluster, node, { fresh: false });
  }

  private readLog(info: DockerClusterInfo, node: string): Promise<string> {
    return info.cluster.readFile(node, `${NODE_DIR}/${info.db.name}.log`).catch(() => '');
  }

  /** Why the DB would not start: what its log says since the restart (from `from`), the cause rather than the exit. */
  private async whyRefused(info: DockerClusterInfo, node: string, from: number): Promise<string> {
    const text = await this.readLog(info, node);
    return refusalReason(text.length >= from ? text.slice(from) : text);
  }
}

const ERROR_LINE = /error|panic|fatal|corrupt|invalid|unexpected|exception/i;
// A line its logger marked as routine: etcd's JSON "level", a JVM's INFO (an info line may still say "corrupt": etcd prints its initial-corrupt-check setting).
const ROUTINE = /"level":"(debug|info)"|\b(TRACE|DEBUG|INFO)\b/;
const STACK_FRAME = /^\s+at |^\s*\.\.\. \d+ more/;
// Node and Python quote the source line that threw, a caret under it: code, not the message.
const CARET = /^\s*\^+\s*$/;
// What a runtime prints under the first line of a failure: a JVM's exception, Go's "fatal error: fault" or its signal.
const DETAIL = /^((Caused by: )?[\w.$]+(Exception|Error)\b|fatal error:|\[signal )/;

/**
 * The first line of a log that names an error (the cause: later lines are
 * its consequences, like ZooKeeper's "Exiting JVM with code 1"), with the
 * detail a runtime prints under it; the last line when none does.
 */
export function refusalReason(log: string): string {
  const lines = log.split('\n').filter((l) => l.trim());
  const at = lines.findIndex((l, i) => ERROR_LINE.test(l) && !ROUTINE.test(l) && !STACK_FRAME.test(l) && !CARET.test(lines[i + 1] ?? ''));
  if (at < 0) return lines.at(-1)?.trim().slice(0, 300) || 'its log says nothing';
  const next = lines[at + 1]?.trim();
  const said = next && DETAIL.test(next) && !DETAIL.test(lines[at].trim()) ? `${lines[at].trim()} | ${next}` : lines[at].trim();
  return said.slice(0, 300);
}

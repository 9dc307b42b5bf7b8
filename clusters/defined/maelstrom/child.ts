// The user's node process, as the shim runs it: its stdout read line by line,
// its stderr appended to the node's log (and the last of it kept, to explain
// a failed start), its stdin written with a bounded backlog. Node built-ins
// only (bundled into the shim).
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * Most bytes waiting for the child to read its stdin. A SIGSTOPped child
 * reads nothing: messages for it queue, as a stopped process's socket
 * buffer fills, and it sees them when it resumes; beyond this they are
 * dropped, as a full socket buffer drops packets.
 */
export const STDIN_BACKLOG_LIMIT = 1 << 20;
/** How long after its exit the child's pipes may take to close. */
const CLOSE_WAIT_MS = 200;
/** Stderr kept for error messages. */
const STDERR_TAIL = 2000;

export interface ChildHooks {
  /** One stdout line (without its newline). */
  line(text: string): void;
  /** The process ended; `how` is "exited with code 1" or "was killed by SIGKILL". */
  exit(how: string): void;
  /** Where its stderr goes (the node's log). */
  stderr(chunk: Buffer): void;
}

export class NodeChild {
  private tail = '';
  private ended = false;
  private readonly exitWaiters: Array<() => void> = [];

  private constructor(private readonly proc: ChildProcessByStdio<Writable, Readable, Readable>, hooks: ChildHooks) {
    // A child killed mid-write closes the pipe: what we still write is lost, as to a dead process.
    proc.stdin.on('error', () => {});
    createInterface({ input: proc.stdout, crlfDelay: Infinity }).on('line', (l) => hooks.line(l));
    proc.stderr.on('data', (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-STDERR_TAIL);
      hooks.stderr(chunk);
    });
    // 'close' comes after the last stdout line (a node that prints garbage and exits is explained by the
    // garbage); a grandchild holding the pipes open must not keep the exit from being seen, hence the cap.
    proc.on('exit', (code, signal) => {
      this.ended = true;
      for (const wake of this.exitWaiters.splice(0)) wake();
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      let told = false;
      const tell = () => {
        if (!told) hooks.exit(how);
        told = true;
      };
      proc.once('close', tell);
      setTimeout(tell, CLOSE_WAIT_MS).unref();
    });
  }

  /** Start `argv` with `env` (added to the shim's own, the image's); rejects with the reason it could not start. */
  static start(argv: readonly string[], env: Record<string, string>, hooks: ChildHooks): Promise<NodeChild> {
    return new Promise((resolve, reject) => {
      const proc = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
      proc.once('error', (err: NodeJS.ErrnoException) => {
        const why = err.code === 'ENOENT' ? 'no such file in the node image (add it to image.files, or fix node.command)' : err.code === 'EACCES' ? 'not executable' : err.message;
        reject(new Error(`could not start ${JSON.stringify(argv[0])}: ${why}`));
      });
      proc.once('spawn', () => resolve(new NodeChild(proc, hooks)));
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get running(): boolean {
    return !this.ended;
  }

  /** The last of its stderr, for error messages. */
  stderrTail(): string {
    return this.tail.trim();
  }

  /** Write one message line; false when it was dropped (dead, or its backlog full: paused). */
  write(line: string): boolean {
    if (this.ended || this.proc.stdin.writableLength > STDIN_BACKLOG_LIMIT) return false;
    this.proc.stdin.write(`${line}\n`);
    return true;
  }

  /** Resolves true once the process has exited, false if it still runs after `ms`. */
  waitExit(ms: number): Promise<boolean> {
    if (this.ended) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.ended), ms);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  kill(): void {
    if (!this.ended) this.proc.kill('SIGKILL');
  }
}

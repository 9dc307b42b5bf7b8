// One SSH connection per host (ssh2), as the controller uses it: commands with
// a deadline, reconnecting with backoff when the connection drops (a flaky
// control path, a host rebooting), and never waiting forever. A command whose
// connection died mid-way has an unknown outcome: it rejects with
// SshOutcomeUnknown so the caller can record it as `info`, not `fail`.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Client, type ConnectConfig } from 'ssh2';
import { UserError } from '../../history/index.ts';
import type { HostEntry } from './hosts-file.ts';

export interface ExecOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface SshOptions {
  /** Give up connecting after this long, over every attempt (default 15 s). */
  connectTimeoutMs?: number;
  /** First reconnect delay; doubles up to 2 s (default 100 ms). */
  backoffMs?: number;
  log?: (line: string) => void;
}

/** The command may or may not have run: the connection dropped after it was sent. */
export class SshOutcomeUnknown extends Error {}

export class SshHost {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private closed = false;
  /** How many times the connection was re-established (for the run's report). */
  reconnects = 0;

  constructor(
    readonly host: HostEntry,
    private readonly opts: SshOptions = {},
  ) {}

  private config(): ConnectConfig {
    const h = this.host;
    const base: ConnectConfig = { host: h.address, port: h.port, username: h.user, readyTimeout: 5_000, keepaliveInterval: 2_000, keepaliveCountMax: 3 };
    if (h.key) {
      try {
        return { ...base, privateKey: readFileSync(h.key) };
      } catch (err) {
        throw new UserError(`host ${h.name}: cannot read key ${h.key} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
    }
    if (!process.env.SSH_AUTH_SOCK) throw new UserError(`host ${h.name}: no "key" in the hosts file and no SSH agent ($SSH_AUTH_SOCK)`);
    return { ...base, agent: process.env.SSH_AUTH_SOCK };
  }

  /** The live connection, (re)connecting with backoff until connectTimeoutMs. */
  private connection(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connectWithBackoff().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connectWithBackoff(): Promise<Client> {
    const deadline = Date.now() + (this.opts.connectTimeoutMs ?? 15_000);
    let wait = this.opts.backoffMs ?? 100;
    let lastError: Error | undefined;
    const config = this.config();
    let attempt = 0;
    while (!this.closed && Date.now() < deadline) {
      try {
        const client = await connectOnce({ ...config, readyTimeout: Math.max(500, Math.min(5_000, deadline - Date.now())) });
        if (attempt > 0 || this.everConnected) this.reconnects += 1;
        this.everConnected = true;
        client.on('close', () => {
          if (this.client === client) this.client = undefined;
        });
        this.client = client;
        return client;
      } catch (err) {
        lastError = err as Error;
        attempt += 1;
        // Authentication is not a network blip: retrying cannot help.
        if (/authentication/i.test(lastError.message)) break;
        await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, deadline - Date.now()))));
        wait = Math.min(wait * 2, 2_000);
      }
    }
    const why = this.closed ? 'closed' : (lastError?.message ?? 'timed out');
    throw new Error(`host ${this.host.name} (${this.host.user}@${this.host.address}:${this.host.port}): cannot connect over SSH: ${why}`);
  }
  private everConnected = false;

  /**
   * Run a shell command. Rejects with SshOutcomeUnknown when the connection
   * drops or the deadline passes after the command was sent; with a plain
   * Error when it could not even be sent (nothing ran).
   */
  async exec(command: string, timeoutMs = 20_000): Promise<ExecOutcome> {
    const r = await this.execRaw(command, { timeoutMs });
    return { ...r, stdout: r.stdout.toString() };
  }

  /** exec with stdout as bytes and `input` fed to stdin (a Buffer, text or a stream, e.g. a tar to unpack). */
  async execRaw(command: string, opts: { timeoutMs?: number; input?: string | Buffer | NodeJS.ReadableStream } = {}): Promise<{ exitCode: number; stdout: Buffer; stderr: string }> {
    const timeoutMs = opts.timeoutMs ?? 20_000;
    const client = await this.connection();
    const wrapped = this.host.sudo ? `sudo -n sh -c ${shellQuote(command)}` : command;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.off('close', onClose);
        fn();
      };
      const onClose = () => finish(() => reject(new SshOutcomeUnknown(`host ${this.host.name}: connection lost while running: ${command.slice(0, 80)}`)));
      const timer = setTimeout(() => {
        // A hung connection (a partitioned control path) must not hang the run: drop it, the next call reconnects.
        client.end();
        if (this.client === client) this.client = undefined;
        finish(() => reject(new SshOutcomeUnknown(`host ${this.host.name}: no answer in ${timeoutMs} ms to: ${command.slice(0, 80)}`)));
      }, timeoutMs);
      client.on('close', onClose);
      client.exec(wrapped, (err, stream) => {
        if (err) return finish(() => reject(new Error(`host ${this.host.name}: ${err.message}`)));
        const stdout: Buffer[] = [];
        let stderr = '';
        stream.on('data', (d: Buffer) => stdout.push(d));
        stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        stream.on('close', (code: number | null) => finish(() => resolve({ exitCode: code ?? -1, stdout: Buffer.concat(stdout), stderr })));
        const input = opts.input;
        if (input === undefined) stream.end();
        else if (typeof input === 'string' || Buffer.isBuffer(input)) stream.end(input);
        else input.on('error', (e) => finish(() => reject(e))).pipe(stream);
      });
    });
  }

  /** exec that throws when the command exits non-zero. */
  async run(command: string, timeoutMs?: number): Promise<string> {
    const r = await this.exec(command, timeoutMs);
    if (r.exitCode !== 0) throw new Error(`host ${this.host.name}: \`${command.slice(0, 120)}\` exited ${r.exitCode}: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  }

  /** Write a file on the host (through the shell: the host may have no sftp server), replacing it at once (rename). */
  async writeFile(path: string, content: string | Buffer, mode = 0o644, timeoutMs = 60_000): Promise<void> {
    // A name of its own per write: two writes of one file at once (a clock strobe's and a heal's) shared `.part`,
    // so one renamed the other's half-written file away and failed ("chmod: ...part: No such file or directory").
    const part = shellQuote(`${path}.part-${randomBytes(6).toString('hex')}`);
    const cmd = `cat > ${part} && chmod ${mode.toString(8)} ${part} && mv ${part} ${shellQuote(path)}`;
    const r = await this.execRaw(cmd, { input: content, timeoutMs });
    if (r.exitCode !== 0) throw new Error(`host ${this.host.name}: writing ${path} failed (${r.exitCode}): ${r.stderr.trim()}`);
  }

  close(): void {
    this.closed = true;
    this.client?.end();
    this.client = undefined;
  }
}

function connectOnce(config: ConnectConfig): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client));
    client.once('error', (err) => {
      client.end();
      reject(err);
    });
    client.connect(config);
  });
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\-./=:,@%+]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// hosts.json: the machines `faultline test --hosts` runs DB nodes on. Parsing
// is pure so a bad file is refused (exit 2) before anything is touched.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../../history/index.ts';

export interface HostEntry {
  /** Node name the run uses (n1, n2 ...); defaults to n<position>. */
  name: string;
  /** Address the controller connects to; also what the other nodes use. */
  address: string;
  port: number;
  user: string;
  /** Private key file; absent: the SSH agent ($SSH_AUTH_SOCK). */
  key?: string;
  /** Prefix privileged commands with `sudo -n` (a non-root user). */
  sudo: boolean;
}

export interface HostsFile {
  hosts: HostEntry[];
  /** Written by `faultline hosts up`: the run id of the containers, for `hosts down`. */
  containersRun?: string;
}

/** Parse and check a hosts file's text; relative key paths are relative to `baseDir`. */
export function parseHostsFile(text: string, baseDir: string, source = 'hosts file'): HostsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${source}: not JSON (${(err as Error).message})`);
  }
  const obj = (Array.isArray(raw) ? { hosts: raw } : raw) as { hosts?: unknown; containersRun?: unknown };
  if (!obj || typeof obj !== 'object' || !Array.isArray(obj.hosts) || obj.hosts.length === 0) {
    throw new UserError(`${source}: expected {"hosts": [{"address": ..., "user": ..., "key": ...}, ...]} with at least one host`);
  }
  const hosts = obj.hosts.map((h: unknown, i: number): HostEntry => {
    const where = `${source}: hosts[${i}]`;
    if (!h || typeof h !== 'object') throw new UserError(`${where} is not an object`);
    const e = h as Record<string, unknown>;
    const str = (k: string): string | undefined => {
      if (e[k] === undefined) return undefined;
      if (typeof e[k] !== 'string' || e[k] === '') throw new UserError(`${where}.${k} must be a non-empty string`);
      return e[k] as string;
    };
    const address = str('address');
    if (!address) throw new UserError(`${where}.address is missing`);
    const port = e.port ?? 22;
    if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) throw new UserError(`${where}.port must be 1-65535, got ${JSON.stringify(e.port)}`);
    if (e.sudo !== undefined && typeof e.sudo !== 'boolean') throw new UserError(`${where}.sudo must be true or false`);
    const name = str('name') ?? `n${i + 1}`;
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(name)) throw new UserError(`${where}.name ${JSON.stringify(name)}: use lower-case letters, digits and dashes`);
    const key = str('key');
    return { name, address, port: port as number, user: str('user') ?? 'root', key: key ? resolve(baseDir, key) : undefined, sudo: e.sudo === true };
  });
  const names = hosts.map((h) => h.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new UserError(`${source}: two hosts are named ${dup}`);
  return { hosts, containersRun: typeof obj.containersRun === 'string' ? obj.containersRun : undefined };
}

export function readHostsFile(path: string): HostsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`--hosts ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseHostsFile(text, dirname(resolve(path)), path);
}

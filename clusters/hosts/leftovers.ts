// What faultline may leave on a host, and how to remove exactly that: every
// iptables rule carrying the "faultline" comment and every chain named
// faultline-* (never another rule, never a flush of a built-in chain),
// processes whose pid files are under the host root, and the host root itself.
// `faultline clean --hosts` runs this after a crashed controller.
import { UserError } from '../../history/index.ts';
import { shellQuote, type SshHost } from './ssh.ts';

/** The one folder the SSH backend writes on a host: per-run node files, pid files, logs. */
export const HOST_ROOT = '/var/tmp/faultline';

export interface HostLeftovers {
  /** `iptables -S` lines that are ours (rules and chain declarations). */
  rules: string[];
  /** Live processes started from a pid file under HOST_ROOT. */
  processes: number[];
  /** Whether HOST_ROOT exists. */
  files: boolean;
  /** Mount points under HOST_ROOT (a node tree's /proc), deepest first. */
  mounts: string[];
}

/**
 * Shell that removes a folder the SSH backend made: every mount below it
 * detached first (lazily, so a busy one goes too), and the folder only once
 * none is left, so rm never walks into a mounted /proc.
 */
export function removeTreeScript(dir: string): string {
  const q = shellQuote(dir);
  return [
    `for m in $(awk -v d=${q} 'index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null; done`,
    `if awk -v d=${q} 'index($2, d "/") == 1 { found = 1 } END { exit !found }' /proc/mounts; then echo "still mounted below ${dir}" >&2; exit 1; fi`,
    `rm -rf ${q}`,
  ].join('\n');
}

/** Our lines of `iptables -S`: rules with the faultline comment, and our chains. */
export function ourIptablesLines(iptablesS: string): string[] {
  return iptablesS.split('\n').filter((l) => /--comment "?faultline"?( |$)/.test(l) || /^-N faultline-/.test(l));
}

/** Shell that deletes exactly our rules (each `-A` line replayed as `-D`), then our chains. */
export function removeRulesScript(ours: readonly string[]): string {
  const deletes = ours.filter((l) => l.startsWith('-A ')).map((l) => `iptables ${l.replace(/^-A /, '-D ')}`);
  const chains = ours.filter((l) => l.startsWith('-N ')).map((l) => l.slice(3).trim());
  return [...deletes, ...chains.flatMap((c) => [`iptables -F ${c}`, `iptables -X ${c}`]), 'true'].join('\n');
}

const SEPARATOR = '--- faultline ---';

// A run's node keeps its pid files in <run>/<node>/faultline/ (host-cluster.ts).
const PID_FILES = [`${HOST_ROOT}/*/*/faultline/*.pid`, `${HOST_ROOT}/*/*.pid`, `${HOST_ROOT}/*.pid`];

/** Shell: `body` once per pid file matching `globs`, with the pid in $p. */
const forEachPid = (globs: readonly string[], body: string): string => `for f in ${globs.join(' ')}; do [ -e "$f" ] || continue; p="$(cat "$f")"; ${body}; done`;

/**
 * Shell that leaves a host as found, for a run's teardown and for clean alike:
 * the processes of the pid files kill -9'd (and SIGCONT'd: a paused process
 * cannot die until it runs again), exactly `rules` deleted, `dir` removed.
 */
export function leaveAsFoundScript(rules: readonly string[], pidFiles: readonly string[], dir: string): string {
  return [forEachPid(pidFiles, 'kill -KILL "$p" 2>/dev/null; kill -CONT "$p" 2>/dev/null'), removeRulesScript(rules), removeTreeScript(dir)].join('\n');
}

const SURVEY = [
  'iptables -S 2>/dev/null',
  `echo '${SEPARATOR}'`,
  forEachPid(PID_FILES, 'kill -0 "$p" 2>/dev/null && echo "$p"'),
  `echo '${SEPARATOR}'`,
  `[ -e ${HOST_ROOT} ] && echo yes || echo no`,
  `echo '${SEPARATOR}'`,
  `awk 'index($2, "${HOST_ROOT}/") == 1 { print $2 }' /proc/mounts | sort -r`,
].join('\n');

export function parseSurvey(out: string): HostLeftovers {
  const [rules = '', pids = '', files = '', mounts = ''] = out.split(SEPARATOR);
  return {
    rules: ourIptablesLines(rules),
    processes: pids.split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l)).map(Number),
    files: files.trim() === 'yes',
    mounts: mounts.split('\n').map((l) => l.trim()).filter(Boolean),
  };
}

export async function surveyHost(ssh: SshHost): Promise<HostLeftovers> {
  return parseSurvey(await ssh.run(SURVEY));
}

/** Remove what survey found; returns what there was. Idempotent. */
export async function removeLeftovers(ssh: SshHost): Promise<HostLeftovers> {
  const found = await surveyHost(ssh);
  await ssh.run(leaveAsFoundScript(found.rules, PID_FILES, HOST_ROOT));
  return found;
}

/** Tools the backend runs on a host; a host missing one is refused. */
// env, chroot, setsid, tar, stat, mknod, mount, umount, awk and sort: host-cluster.ts unpacks each node's files and runs its commands chrooted there.
export const HOST_TOOLS = ['sh', 'iptables', 'iptables-restore', 'kill', 'cat', 'rm', 'mkdir', 'env', 'chroot', 'setsid', 'tar', 'stat', 'mknod', 'mount', 'umount', 'awk', 'sort'] as const;

/** The tools a host lacks (empty: usable). */
export async function missingTools(ssh: SshHost): Promise<string[]> {
  const out = await ssh.run(HOST_TOOLS.map((t) => `command -v ${t} >/dev/null 2>&1 || echo ${t}`).join('\n') + '\ntrue');
  return out.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Refuse (exit 2) a host faultline cannot run faults on, naming what is missing. */
export async function requireTools(ssh: SshHost): Promise<void> {
  const missing = await missingTools(ssh);
  if (missing.length) {
    throw new UserError(`host ${ssh.host.name} (${ssh.host.address}) lacks ${missing.join(', ')}: faultline needs them for faults (iptables for partitions and loss); hosts without iptables are not supported`);
  }
}

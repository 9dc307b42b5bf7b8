// The files every node image carries besides its database: a shell to start
// the DB with exec, a do-nothing PID 1 child, and the tools the nemeses run
// inside the container (iptables, tc, libfaketime), plus bash for the
// reachability probe (reachability.ts): bash's /dev/tcp is a TCP connect
// with no extra package (bash is Essential in Debian; busybox nc is not
// installed here, and its -w takes whole seconds only), and its forked
// subshells probe every peer at once for the price of one exec.
import { existsSync } from 'node:fs';
import type { ImageFile, ImageSpec } from './image.ts';

const XTABLES_MULTI = ['/usr/sbin/xtables-nft-multi', '/usr/sbin/xtables-legacy-multi'];
// iptables dlopens one module per match/target; only those our rules use.
const XTABLES_DIR = '/usr/lib/x86_64-linux-gnu/xtables';
const XTABLES_MODULES = ['libxt_standard.so', 'libxt_statistic.so', 'libxt_tcp.so', 'libxt_udp.so', 'libxt_comment.so',
  'libipt_REJECT.so', 'libxt_REJECT.so', 'libipt_icmp.so'];
export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
export const LIBFAKETIME_MT = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';

function elf(path: string, to?: string): ImageFile {
  return { from: path, to, elf: true };
}

/** iptables is a multi-call binary that dispatches on argv[0]. */
function iptablesFiles(): ImageFile[] {
  const multi = XTABLES_MULTI.find((p) => existsSync(p));
  if (!multi) return [];
  return ['iptables', 'iptables-save', 'iptables-restore'].map((name) => elf(multi, `/usr/sbin/${name}`));
}

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n';
const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

export function toolboxSpec(): Omit<ImageSpec, 'name'> {
  const optional = (path: string, to?: string): ImageFile[] => (existsSync(path) ? [elf(path, to)] : []);
  return {
    files: [
      elf('/bin/dash', '/bin/sh'),
      elf('/bin/sleep'),
      elf('/bin/cat'),
      elf('/bin/rm'),
      elf('/bin/mkdir'),
      elf('/bin/ls'),
      elf('/bin/bash'),
      ...iptablesFiles(),
      ...optional('/usr/sbin/tc'),
      ...optional(LIBFAKETIME),
      ...optional(LIBFAKETIME_MT),
      ...XTABLES_MODULES.map((m) => optional(`${XTABLES_DIR}/${m}`)).flat(),
      { from: '/etc/protocols' },
      { from: '/etc/services' },
    ],
    texts: { '/etc/passwd': PASSWD, '/etc/group': GROUP },
    dirs: ['/tmp', '/data', '/faultline', '/run', '/var/run'],
    // No ld.so.cache in a scratch image: tell the loader where Debian keeps libraries.
    env: { LD_LIBRARY_PATH: '/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  };
}

// The image of a container that stands in for a bare machine (`faultline
// hosts up`): sshd from Debian's openssh-server, a shell and iptables from the
// node toolbox, and busybox (Debian's busybox-static, one static binary) for
// the small tools the SSH backend runs there (ps, chmod, pkill, du ...).
// Key logins as root only; PAM is off because a scratch image has no PAM stack.
import type { ImageSpec } from '../docker/image.ts';
import { toolboxSpec } from '../docker/toolbox.ts';

export const SSHD = '/usr/sbin/sshd';
export const BUSYBOX = '/bin/busybox';

const SSHD_CONFIG = [
  'Port 22',
  'HostKey /etc/ssh/ssh_host_ed25519_key',
  'PermitRootLogin prohibit-password',
  'PasswordAuthentication no',
  'KbdInteractiveAuthentication no',
  'UsePAM no',
  // The image builder cannot set file owners and modes sshd's StrictModes wants.
  'StrictModes no',
  'PidFile /run/sshd.pid',
  'Subsystem sftp internal-sftp',
  '',
].join('\n');

/** The host image for one controller key pair: the public key is the only way in. */
export function hostImageSpec(hostKey: string, authorizedKey: string): ImageSpec {
  const toolbox = toolboxSpec();
  return {
    ...toolbox,
    name: 'host',
    files: [...toolbox.files, { from: SSHD, elf: true }, { from: '/bin/busybox', to: BUSYBOX }],
    texts: {
      ...toolbox.texts,
      '/etc/ssh/sshd_config': SSHD_CONFIG,
      '/etc/ssh/ssh_host_ed25519_key': hostKey,
      '/root/.ssh/authorized_keys': authorizedKey,
      '/etc/shells': '/bin/sh\n',
      // sshd drops privileges to this user before authentication.
      '/etc/passwd': `${toolbox.texts?.['/etc/passwd'] ?? ''}sshd:x:100:65534::/run/sshd:/usr/sbin/nologin\n`,
    },
    dirs: [...(toolbox.dirs ?? []), '/root', '/etc/ssh', '/var/empty', '/run/sshd', '/usr/bin', '/sbin'],
  };
}

/**
 * Started once the container runs: sshd refuses a privilege-separation folder
 * (/run/sshd) or a path to it that others may write, and the image builder
 * makes every folder 1777; the host key must be private too.
 */
export const START_SSHD = [
  // busybox's applets (chmod, mv, ps, pkill ...) as symlinks beside the toolbox's own files, which it leaves alone.
  `${BUSYBOX} --install -s`,
  `${BUSYBOX} chmod 0755 /run /run/sshd /var/empty /root /etc/ssh`,
  `${BUSYBOX} chmod 0600 /etc/ssh/ssh_host_ed25519_key`,
  SSHD,
].join(' && ');

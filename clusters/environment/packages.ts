// What faultline needs on the host, and which Debian package provides it.
import { existsSync } from 'node:fs';

export interface HostRequirement {
  /** What a person calls it. */
  what: string;
  /** Debian package that provides it. */
  debianPackage: string;
  /** Any one of these paths existing means it is installed. */
  paths: string[];
  /** Only needed for the browser tests. */
  browserOnly?: boolean;
  /** Only needed to build etcd with failpoints (`faultline setup --etcd-failpoints`). */
  failpointsOnly?: boolean;
}

export const HOST_REQUIREMENTS: HostRequirement[] = [
  { what: 'Docker engine (dockerd)', debianPackage: 'docker.io', paths: ['/usr/sbin/dockerd', '/usr/bin/dockerd'] },
  { what: 'docker-init (tini) for container PID 1', debianPackage: 'docker.io', paths: ['/usr/bin/docker-init', '/usr/sbin/docker-init'] },
  { what: 'etcd server', debianPackage: 'etcd-server', paths: ['/usr/bin/etcd'] },
  { what: 'etcdctl', debianPackage: 'etcd-client', paths: ['/usr/bin/etcdctl'] },
  { what: 'iptables', debianPackage: 'iptables', paths: ['/usr/sbin/xtables-nft-multi', '/usr/sbin/xtables-legacy-multi'] },
  { what: 'libfaketime', debianPackage: 'faketime', paths: ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1'] },
  // `faultline hosts up` (clusters/hosts): fake machines run Debian's sshd and busybox; ssh-keygen makes their keys.
  { what: 'sshd (fake hosts)', debianPackage: 'openssh-server', paths: ['/usr/sbin/sshd'] },
  { what: 'ssh-keygen (fake hosts)', debianPackage: 'openssh-client', paths: ['/usr/bin/ssh-keygen'] },
  { what: 'busybox static (fake hosts\' tools)', debianPackage: 'busybox-static', paths: ['/bin/busybox'] },
  // Disk faults (disk/): the lose-unsynced-writes filesystem is a Python llfuse daemon; fusermount unmounts it.
  { what: 'FUSE 3 (fusermount)', debianPackage: 'fuse3', paths: ['/usr/bin/fusermount3', '/bin/fusermount3'] },
  { what: 'python3-llfuse (lazyfs)', debianPackage: 'python3-llfuse', paths: ['/usr/lib/python3/dist-packages/llfuse.cpython-311-x86_64-linux-gnu.so', '/usr/lib/python3/dist-packages/llfuse-1.4.1.egg-info'] },
  { what: 'tc (iproute2)', debianPackage: 'iproute2', paths: ['/usr/sbin/tc', '/sbin/tc'] },
  // --db zookeeper (clusters/zookeeper): ZooKeeper's jars and those its manifest names, a logging backend, the AdminServer's servlet API, and a JDK whose jlink builds the node's Java runtime.
  { what: 'ZooKeeper 3.8 jars', debianPackage: 'libzookeeper-java', paths: ['/usr/share/java/zookeeper.jar'] },
  { what: 'slf4j-simple (ZooKeeper logging)', debianPackage: 'libslf4j-java', paths: ['/usr/share/java/slf4j-simple.jar'] },
  { what: 'servlet API (ZooKeeper AdminServer)', debianPackage: 'libservlet-api-java', paths: ['/usr/share/java/servlet-api.jar'] },
  { what: 'JDK jlink/jdeps (ZooKeeper node runtime)', debianPackage: 'default-jdk-headless', paths: ['/usr/bin/jlink'] },
  // etcd with failpoints (clusters/etcd/failpoint-build.ts): Debian's etcd source and Go libraries, gofail, Go.
  { what: 'etcd 3.4 source', debianPackage: 'golang-etcd-server-dev', paths: ['/usr/share/gocode/src/go.etcd.io/etcd/main.go'], failpointsOnly: true },
  { what: 'gofail', debianPackage: 'golang-github-etcd-io-gofail', paths: ['/usr/bin/gofail'], failpointsOnly: true },
  { what: 'gofail runtime', debianPackage: 'golang-github-etcd-io-gofail-dev', paths: ['/usr/share/gocode/src/go.etcd.io/gofail/runtime/runtime.go'], failpointsOnly: true },
  { what: 'Go compiler', debianPackage: 'golang-go', paths: ['/usr/bin/go'], failpointsOnly: true },
  { what: 'Chromium (browser tests)', debianPackage: 'chromium', paths: ['/usr/bin/chromium'], browserOnly: true },
];

export function isInstalled(req: HostRequirement): boolean {
  return req.paths.some((p) => existsSync(p));
}

export function firstInstalledPath(req: HostRequirement): string | undefined {
  return req.paths.find((p) => existsSync(p));
}

export function missingRequirements(withBrowser: boolean, withFailpoints = false): HostRequirement[] {
  return HOST_REQUIREMENTS.filter((r) => (withBrowser || !r.browserOnly) && (withFailpoints || !r.failpointsOnly) && !isInstalled(r));
}

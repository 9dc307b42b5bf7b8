// `faultline doctor`: what this machine can and cannot do for faultline.
import { statfsSync } from 'node:fs';
import { execa } from 'execa';
import { registerCleanup } from '../cleanup.ts';
import { docker, engineAnswers, RUN_LABEL } from '../docker/engine.ts';
import { execIn } from '../docker/exec.ts';
import { buildImage } from '../docker/image.ts';
import { LIBFAKETIME, toolboxSpec } from '../docker/toolbox.ts';
import { removeRun } from '../docker/cluster.ts';
import { DEFAULT_ETCD_BINARY } from '../etcd/etcd.ts';
import { findFailpointBuild, missingForFailpointBuild } from '../etcd/failpoint-build.ts';
import { existsSync } from 'node:fs';
import { HOST_REQUIREMENTS, isInstalled } from './packages.ts';

export interface DoctorRow {
  check: string;
  /** 'n/a' when it could not be checked because something before it failed. */
  ok: boolean | 'n/a';
  detail: string;
  /** A failing required row makes doctor exit non-zero; optional rows only inform. */
  required: boolean;
}

const MIN_FREE_BYTES = 2 * 1024 ** 3;

export async function runDoctor(opts: { etcdBinary?: string; storeDir?: string } = {}): Promise<DoctorRow[]> {
  const rows: DoctorRow[] = [];
  const engineUp = await engineAnswers(3000);
  if (engineUp) {
    const v = await docker().version();
    rows.push({ check: 'Docker engine', ok: true, detail: `reachable, version ${v.Version}`, required: true });
  } else {
    rows.push({ check: 'Docker engine', ok: false, detail: 'does not answer (run `faultline setup`)', required: true });
  }

  const etcd = opts.etcdBinary ?? DEFAULT_ETCD_BINARY;
  const etcdVersion = existsSync(etcd) ? (await execa(etcd, ['--version'], { reject: false })).stdout.match(/etcd Version: (\S+)/)?.[1] : undefined;
  rows.push({
    check: 'etcd binary',
    ok: !!etcdVersion,
    detail: etcdVersion ? `${etcd} ${etcdVersion}` : `${etcd} missing or not runnable (apt-get install etcd-server)`,
    required: true,
  });

  rows.push(failpointRow());
  rows.push(zookeeperRow());
  rows.push(fakeHostsRow());

  const inContainer = engineUp ? await probeContainer() : undefined;
  rows.push({
    check: 'iptables in a container netns',
    ok: inContainer ? inContainer.iptables.ok : 'n/a',
    detail: inContainer ? inContainer.iptables.detail : 'needs the Docker engine',
    required: true,
  });
  rows.push({
    check: 'tc netem (packet delay)',
    ok: inContainer ? inContainer.netem.ok : 'n/a',
    detail: inContainer
      ? inContainer.netem.ok
        ? 'available'
        : `unavailable: ${inContainer.netem.detail} (delay faults unsupported; loss uses iptables statistic)`
      : 'needs the Docker engine',
    required: false,
  });
  rows.push({
    check: 'libfaketime',
    ok: existsSync(LIBFAKETIME),
    detail: existsSync(LIBFAKETIME) ? `${LIBFAKETIME} (clock faults for processes that read time through libc; not etcd)` : 'missing (apt-get install faketime)',
    required: true,
  });

  const fs = statfsSync(opts.storeDir ?? process.cwd());
  const free = fs.bavail * fs.bsize;
  rows.push({
    check: 'free disk',
    ok: free >= MIN_FREE_BYTES,
    detail: `${(free / 1024 ** 3).toFixed(1)} GiB free at ${opts.storeDir ?? process.cwd()} (need ≥ 2 GiB)`,
    required: true,
  });
  return rows;
}

/** Start a throwaway container (no network) and try iptables and netem in its namespace. */
async function probeContainer(): Promise<{ iptables: { ok: boolean; detail: string }; netem: { ok: boolean; detail: string } }> {
  const image = await buildImage({ ...toolboxSpec(), name: 'toolbox' });
  const runId = `doctor-${process.pid}`;
  const unregister = registerCleanup('doctor probe', async () => void (await removeRun(runId)));
  try {
    const container = await docker().createContainer({
      Image: image.tag,
      Cmd: ['/bin/sleep', 'infinity'],
      Labels: { [RUN_LABEL]: runId },
      HostConfig: { Init: true, CapAdd: ['NET_ADMIN'], NetworkMode: 'none' },
    });
    await container.start();
    const ipt = await execIn(container, ['iptables', '-A', 'INPUT', '-s', '192.0.2.1', '-m', 'statistic', '--mode', 'random', '--probability', '0.5', '-j', 'DROP']);
    const list = await execIn(container, ['iptables', '-S', 'INPUT']);
    const iptOk = ipt.exitCode === 0 && list.stdout.includes('192.0.2.1');
    const tc = await execIn(container, ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms']);
    return {
      iptables: { ok: iptOk, detail: iptOk ? 'usable (drop rules and statistic match work)' : `failed: ${(ipt.stderr || list.stderr).trim()}` },
      netem: { ok: tc.exitCode === 0, detail: tc.stderr.trim() || `exit ${tc.exitCode}` },
    };
  } finally {
    await removeRun(runId);
    unregister();
  }
}

/** --nemesis failpoint on etcd: the failpoint build for the installed source; optional. */
function failpointRow(): DoctorRow {
  const missing = missingForFailpointBuild();
  const path = missing.length === 0 ? findFailpointBuild() : undefined;
  return {
    check: 'etcd failpoint build (--nemesis failpoint)',
    ok: path !== undefined,
    detail: path ? `${path} (gofail failpoints of etcd 3.4.23, Debian's Go libraries)` : `not built (faultline setup --etcd-failpoints${missing.length ? `; missing ${missing.join(', ')}` : ''})`,
    required: false,
  };
}

/** `faultline hosts up`: the Debian packages its fake machines are made of; optional, real hosts need none of them. */
function fakeHostsRow(): DoctorRow {
  return packagesRow('fake hosts (faultline hosts up)', /fake hosts/, 'sshd, ssh-keygen, busybox-static: the host image builds');
}

/** --db zookeeper: the Debian packages its node image is made of (clusters/zookeeper); optional, only that system needs them. */
function zookeeperRow(): DoctorRow {
  return packagesRow('zookeeper (--db zookeeper)', /ZooKeeper/, 'ZooKeeper 3.8 jars, slf4j-simple, servlet API, jlink: the node image builds');
}

/** An optional row for the host packages whose `what` matches: all installed, or which are missing and how to get them. */
function packagesRow(check: string, which: RegExp, whenPresent: string): DoctorRow {
  const missing = HOST_REQUIREMENTS.filter((r) => which.test(r.what) && !isInstalled(r));
  return {
    check,
    ok: missing.length === 0,
    detail: missing.length === 0
      ? whenPresent
      : `missing ${missing.map((r) => r.what).join(', ')} (apt-get install ${[...new Set(missing.map((r) => r.debianPackage))].join(' ')}, or faultline setup)`,
    required: false,
  };
}

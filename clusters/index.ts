// Public surface of clusters/: where the database under test runs.
//
//   ensureEnvironment() / runDoctor()      host set-up (Debian packages, dockerd) and its report
//   buildImage(spec)                       offline FROM-scratch image, cached by content hash
//   NodeCluster                            the nodes a DB runs on, as DBs and nemeses see them (Docker or SSH hosts)
//   DockerCluster                          one run's internal network + node containers (dockerode)
//   etcdDb() / raftkvDb()                  DB definitions: image, start, kill, status, logs
//   buildFailpointEtcd()                   etcd with gofail failpoints, built offline from Debian's source, cached
//   DockerDbCluster                        a DB on a DockerCluster, as the run loop sees it
//   startCluster()                         `faultline cluster up`: the above plus cleanup on signals
//   loadDefinition() / definedDb()         a system described by a definition file (JSON/YAML), as a DB
//   hosts.*                                machines over SSH (hosts.json, connections, leftovers) and fake hosts in containers
export type { DB, ClusterMember, Maintenance, Membership, FailpointAction, FailpointInfo, FailpointRole, Failpoints, MemberStatus, NodeReport, RaftStatusField } from './db.ts';
export { etcdDb, DEFAULT_ETCD_BINARY, type EtcdOptions } from './etcd/etcd.ts';
export { buildFailpointEtcd, findFailpointBuild, FAILPOINT_CACHE, type FailpointBuild } from './etcd/failpoint-build.ts';
export { ETCD_FAILPOINTS } from './etcd/failpoints.ts';
export { DockerCluster, removeRun, NODE_DIR, type ClusterNode, type CreateClusterOptions } from './docker/cluster.ts';
export type { ExecResult, NodeCluster, NodeHandle, Signal } from './node-cluster.ts';
export { readNodeDirFile } from './node-cluster.ts';
export { clusterInfo, DockerDbCluster, type DockerClusterInfo, type DockerDbClusterOptions } from './docker-db-cluster.ts';
export { WarmPool, type WarmCluster } from './warm-pool.ts';
export { buildImage, resolveEntries, type BuiltImage, type ImageFile, type ImageSpec } from './docker/image.ts';
export { docker, engineAnswers, RUN_LABEL } from './docker/engine.ts';
export { listRuns, type RunObjects } from './docker/runs.ts';
export { freeSubnet, overlaps, parseCidr, type Cidr } from './docker/subnet.ts';
export { parseLdd, sharedLibraryClosure } from './docker/closure.ts';
export { startCluster, type RunningCluster, type StartClusterOptions } from './start.ts';
export { makeRunId } from './run-id.ts';
export { ensureEnvironment, DOCKERD_LOG, type SetupOptions, type SetupOutcome } from './environment/setup.ts';
export { runDoctor, type DoctorRow } from './environment/doctor.ts';
export * as raftkv from './raftkv/index.ts';
export { clockControl, processElapsedS, setNodeClock, skewOffsetMs, writeClockControl } from './faketime.ts';
export { type Cluster, type ClusterInfo } from './cluster.ts';
export { EtcdHttpError, b64, decodeKv, etcdPost, memberList, status, unb64, type KeyValue } from './etcd/api.ts';
export { TimeoutError, abortAfter, delay, withTimeout } from './timeout.ts';
export { probeReachability, portOfUrl, PROBE_TIMEOUT_MS, type ProbeResult, type Reachability, type ReachabilityProbe } from './docker/reachability.ts';
// A system described by a definition file (issue "Bring your own system").
export * from './defined/index.ts';
export * as hosts from './hosts/index.ts';

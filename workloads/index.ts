// Public surface of workloads/: the workload table (registry.ts) and, per
// workload, a seeded generator of client ops, a client per DB (etcd over its
// v3 HTTP/JSON gateway, raftkv over its HTTP API) and the checkers its
// history needs.
//
//   register     read/write/cas on independent keys   -> linearizability (kv-cas-register)
//   set          unique adds, final reads             -> set invariant
//   bank         transfers in transactions            -> bank invariant (conserved total)
//   counter      increments, reads                    -> counter bounds
//   append       list-append transactions             -> elle (list-append)
//   wr-register  write/read register transactions     -> elle (rw-register)
//   lock         etcd v3 lock API                     -> linearizability (mutex)
//   watch        etcd watch streams over KV writes    -> watch (etcd's watch guarantees)
// Every Docker-backed workload also gets the divergence check (workloads/divergence).
// Systems described by a definition file get their clients by protocol: http-kv/
// (a JSON-over-HTTP key-value API from request templates), maelstrom/.
export * from './register/index.ts';
export * from './set/index.ts';
export * from './bank/index.ts';
export * from './counter/index.ts';
export * from './append/index.ts';
export * from './wr-register/index.ts';
export * from './lock/index.ts';
export * from './watch/index.ts';
export * from './divergence/index.ts';
export { httpKvClients } from './http-kv/index.ts';
export { finalReads, oncePerWorker } from './final-reads.ts';
export { WORKLOADS, workloadFor, readsDuringRun, type ClientParams, type ClientTable, type WorkloadName } from './registry.ts';
export type { Client, MakeClient, Workload } from './workload.ts';
export { type EtcdClientOptions, type ReadMode } from './etcd/client-base.ts';
export { type RaftkvClientOptions } from './raftkv/client-base.ts';
export * from './maelstrom/index.ts';

// Public surface of faultline's own Raft KV server (clusters/raftkv).
//   raft/        the pure Raft core (no I/O)
//   kv-state.ts  the replicated key-value state machine
//   storage.ts, transport.ts, server.ts, client-api.ts   the I/O edge
//   main.ts      bundle entry; cli-args.ts parses/builds argv; bundle.ts builds server.mjs
//   db.ts        the DB on Docker nodes (faultline test --db raftkv); admin.ts the controller's admin calls
export { bundleServer, SERVER_ENTRY } from './bundle.ts';
export { configFromArgs, serverArgs } from '../../raftkv/cli-args.ts';
export type { ServerArgs } from '../../raftkv/cli-args.ts';
export { LocalCluster } from './local-cluster.ts';
export { raftkvDb, RAFTKV_CLIENT_PORT, type RaftkvOptions } from './db.ts';
export { nodeStatus, stateHashAt, stateHashes, stateKeys, type HashAt } from './admin.ts';
export { BUGS, parseBugs, isBugName } from '../../raftkv/bugs.ts';
export type { BugName, Bugs } from '../../raftkv/bugs.ts';
export { KvState, canonical } from '../../raftkv/kv-state.ts';
export type { Json, KvCommand, KvResult, MicroOp } from '../../raftkv/kv-state.ts';
export { RaftKvServer } from '../../raftkv/server.ts';
export type { ServerConfig } from '../../raftkv/server.ts';
export type { Outcome, ServerStatus } from '../../raftkv/api.ts';
export * from '../../raftkv/raft/index.ts';

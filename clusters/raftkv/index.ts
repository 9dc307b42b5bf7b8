// Public surface of faultline's own Raft KV server (clusters/raftkv).
//   raft/        the pure Raft core (no I/O)
//   kv-state.ts  the replicated key-value state machine
//   storage.ts, transport.ts, server.ts, client-api.ts   the I/O edge
//   main.ts      bundle entry; cli-args.ts parses/builds argv; bundle.ts builds server.mjs
//   db.ts        the DB on Docker nodes (faultline test --db raftkv); admin.ts the controller's admin calls
export { bundleServer, SERVER_ENTRY } from './bundle.ts';
export { configFromArgs, serverArgs } from './cli-args.ts';
export type { ServerArgs } from './cli-args.ts';
export { LocalCluster } from './local-cluster.ts';
export { raftkvDb, RAFTKV_CLIENT_PORT, type RaftkvOptions } from './db.ts';
export { nodeStatus, stateHashAt, stateHashes, stateKeys, type HashAt } from './admin.ts';
export { BUGS, parseBugs, isBugName } from './bugs.ts';
export type { BugName, Bugs } from './bugs.ts';
export { KvState, canonical } from './kv-state.ts';
export type { Json, KvCommand, KvResult, MicroOp } from './kv-state.ts';
export { RaftKvServer } from './server.ts';
export type { Outcome, ServerConfig, ServerStatus } from './server.ts';
export * from './raft/index.ts';

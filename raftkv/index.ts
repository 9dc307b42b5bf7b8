// Public surface of raftkv/: faultline's own Raft KV server, a system under
// test kept apart from the harness (it imports nothing of ours). What the
// harness uses: the client API's answer types, the seeded bugs, the
// mutation suite and failpoints, the server's command line, and the server itself for
// in-process tests.
//   raft/        the pure Raft core (no I/O)
//   kv-state.ts  the replicated key-value state machine
//   storage.ts, transport.ts, server.ts, client-api.ts, http.ts   the I/O edge
//   main.ts      the server's entry point (bundled by clusters/raftkv/bundle.ts)
export { KvState, canonical, type Json, type KvCommand, type KvResult, type MicroOp } from './kv-state.ts';
export { type Outcome, type ServerStatus } from './api.ts';
export { type DelaySpec } from './transport.ts';
export { isFailpoint, type Failpoint } from './failpoints.ts';
export { BUGS, isBugName, parseBugs, type BugName, type Bugs } from './bugs.ts';
export { MUTANTS, mutantActLine, mutantActsOfLog, mutantsOf, parseMutants, type Mutant, type MutantAct, type MutantName, type Mutants, type MutantSet } from './mutants.ts';
export { configFromArgs, serverArgs, type ServerArgs } from './cli-args.ts';
export { RaftKvServer, type ServerConfig } from './server.ts';
export * from './raft/index.ts';

// Public surface of clusters/raftkv: the controller's side of faultline's own
// Raft KV server (the server itself is raftkv/, a system under test).
//   bundle.ts        builds the server into one server.mjs for the node image
//   db.ts            the DB on Docker nodes (faultline test --db raftkv)
//   admin.ts         the controller's admin calls (status, state hashes, keys)
//   local-cluster.ts server processes on this machine, for tests and benches
//   mutant-acts.ts   how often each planted bug acted in a finished run (benches)
export { bundleServer, SERVER_ENTRY } from './bundle.ts';
export { LocalCluster } from './local-cluster.ts';
export { raftkvDb, RAFTKV_CLIENT_PORT, type RaftkvOptions } from './db.ts';
export { nodeStatus, stateHashAt, stateHashes, stateKeys, type HashAt } from './admin.ts';
export { mutantActsInRun } from './mutant-acts.ts';

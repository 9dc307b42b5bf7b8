// Public surface of workloads/zookeeper: faultline's clients for a ZooKeeper
// ensemble (client protocol `zookeeper`), over node-zookeeper-client with a
// sync of our own (sync.ts), and the divergence check's view of its members.
//
//   register  a znode per key: getData (plain or after sync), setData, cas by version
//   set       a znode per element; read = the folder's children
//   counter   one znode, guarded read-modify-write by version
//   lock      the ephemeral-sequential lock recipe
export { zookeeperClients, zookeeperAddresses } from './clients.ts';
export { type ZookeeperClientOptions } from './client-base.ts';
export { zookeeperStateSource, readTree, treeHash, treeReport, treeReports, settledReports, TREE_LIMIT, type Member, type ZookeeperStateOptions, type Znode } from './state.ts';
export { latestCommonZxid, parseDigestLog } from './digest-log.ts';
export { lostTransactions, describeLost, type LostTransaction, type MemberTree, type StampedZnode, type TreeDifference } from './lost-transactions.ts';
export { judgeRound, type RoundJudgement, type TreeReading } from './tree-rounds.ts';
export { ZkSession, type ZkSessionOptions } from './session.ts';
export { repairConnection } from './connection-fixes.ts';
export { sync, syncHeader, syncPayload, OP_SYNC } from './sync.ts';
export { completionForZkError, definiteRefusal, zkCode, ZkTimeout } from './outcome.ts';
export { fourLetterWord, parseSrvr, type SrvrAnswer } from './four-letter.ts';
export { lowestLockNode } from './lock-client.ts';
export { registerValue } from './register-client.ts';

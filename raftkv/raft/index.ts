// Public surface of the pure Raft core (no I/O).
export { RaftNode } from './node.ts';
export type { Ready, ReadState, FailedRead, RaftStart, RaftStatus, ProposeResult, Role } from './node.ts';
export { RaftLog } from './log.ts';
export { raftConfig } from './config.ts';
export type { RaftConfig, RaftOptions } from './config.ts';
export type * from './messages.ts';
export { RAFT_EVENTS, eventLine, type RaftEvent, type RaftEventName } from './events.ts';

// Public surface of the Maelstrom protocol (clusters/defined/maelstrom): a
// user's node that speaks Maelstrom's JSON messages on stdin/stdout, run
// under real faults. A shim beside each node (shim-main.ts, bundled into the
// image) runs it as its child, carries its messages to the other nodes over
// UDP and feeds client requests in (POST /rpc).
//
//   shimImage()             files the node image needs for the shim
//   startMaelstromNode()    start the shim, then the node through it (init)
//   maelstromNodeReady()    running and initialized?
//   maelstromUrl()          where clients post /rpc
//   MAELSTROM_ERRORS        Maelstrom's error codes, definite or not (workloads/maelstrom)
export { shimImage, startMaelstromNode, maelstromNodeReady, maelstromUrl, SHIM_PROCESS, type MaelstromStart } from './node.ts';
export { MAELSTROM_ERRORS, MAELSTROM_ERROR, describeError, isDefiniteError, type MaelstromErrorCode } from './errors.ts';
export type { MaelstromBody } from './protocol.ts';

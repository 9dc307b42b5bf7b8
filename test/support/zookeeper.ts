// What a ZooKeeper divergence verdict must quote to count as proven: the sentence
// workloads/zookeeper/lost-transactions.ts's describeLost writes (a member skipped a
// transaction others applied, though it reports a zxid past it). ZooKeeper 3.8.0
// itself can lose a committed transaction on one member under kills, so the Docker
// and hosts tests accept such a verdict, never a bare difference.
export const LOST_TRANSACTION_PROOF =
  /applied transaction 0x[0-9a-f]+, which .+, and \S+ did not \(its .+ still stamped 0x[0-9a-f]+\), though \S+ reports having applied every transaction up to 0x[0-9a-f]+/;

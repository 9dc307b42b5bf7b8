// The recipe catalog: each entry reproduces a real failure class against
// raftkv's seeded bugs (raftkv/bugs.ts), real etcd, or the Maelstrom
// examples (examples/maelstrom-*, through --system), tuned to fire
// within a short run (faults every 2-3 s, 15-25 s main phase). `npm run
// validate` measures how reliably each one does across seeds.
import type { Recipe } from './recipe.ts';

/**
 * The run zookeeper-plain-read and its twin zookeeper-sync-read share; only the read mode differs. Partitions
 * only: a paused leader serves stale syncs (zookeeper-paused-leader-sync), a cut-off one steps down in time.
 */
const ZOOKEEPER_READ_RUN = {
  db: 'zookeeper',
  bugs: [],
  workload: 'register',
  nemesis: ['partition'],
  nemesisInterval: '4s',
  nodes: 3,
  timeLimit: 40,
  seed: 1,
} satisfies Partial<Recipe>;

/** raftkv-corrupt's run: expected valid (every damaged record refused). */
const CORRUPT_RUN = {
  bugs: [],
  workload: 'register',
  nemesis: ['corrupt'],
  nemesisInterval: '3s',
  nodes: 3,
  timeLimit: 15,
  seed: 1,
  expect: { valid: true, caughtBy: [] },
} satisfies Partial<Recipe>;

export const RECIPES: readonly Recipe[] = [
  {
    name: 'raftkv-stale-read',
    title: 'any node answers reads from its local state: stale reads behind a partition',
    explanation:
      'Serving reads from whatever node the client reached, without asking a quorum, is the original Raft-store ' +
      'mistake: etcd 2 answered reads locally unless asked for quorum=true, and Consul\'s default read mode did the ' +
      'same when Jepsen tested both in 2014; both returned stale values. With --bug stale-read every raftkv node ' +
      'answers reads from its own applied state. The recipe cuts single nodes and the leader off the majority: the ' +
      'majority elects a leader and keeps accepting writes while clients of the isolated node still read its old ' +
      'values. A read that returns a value older than a write which completed before the read began has no place in ' +
      'any linearization, so the linearizability checker (cas-register per key) reports it.',
    db: 'raftkv',
    bugs: ['stale-read'],
    workload: 'register',
    nemesis: ['partition-one', 'partition-leader', 'partition-halves'],
    nemesisInterval: '2s',
    nodes: 3,
    timeLimit: 10,
    seed: 1,
    expect: { valid: false, caughtBy: ['linearizability'] },
  },
  {
    name: 'raftkv-lease-read-clock',
    title: 'leader reads on a clock lease: a cut-off leader whose clock jumps serves stale reads',
    explanation:
      'Leader leases (Raft thesis 6.4.1) skip the quorum round of a read by trusting that no other leader can exist ' +
      'until the lease runs out, which holds only while clocks advance at bounded rates and the process is not ' +
      'stopped. Jepsen found stale reads from lease and clock assumptions in YugabyteDB, Dgraph and others; ' +
      'CockroachDB and TiKV bound clock offset explicitly for the same reason. With --bug lease-read the raftkv ' +
      'leader measures its lease on its wall clock and, holding a lease, keeps leading until it ends. The recipe ' +
      'runs clock jumps (up to 30 s either way) and partitions of the leader on timelines of their own ' +
      '(--nemesis-overlap) that drift against each other, so they coincide: a lease granted while the clock ran ' +
      'ahead and checked after it was set right, or a clock set back just as the leader is cut off, outlasts the ' +
      'real lease by the size of the jump. Cut off, the leader keeps answering the clients that still reach it ' +
      'from its own state while the majority elects a new leader and commits writes. The linearizability checker ' +
      'finds a read that missed a write completed before the read began.',
    db: 'raftkv',
    bugs: ['lease-read'],
    workload: 'register',
    nemesis: ['clock-bump', 'partition-leader'],
    nemesisInterval: '2s',
    nemesisOverlap: true,
    nodes: 3,
    concurrency: 15,
    timeLimit: 25,
    seed: 1,
    opTimeout: 1000,
    expect: { valid: false, caughtBy: ['linearizability'] },
  },
  {
    name: 'raftkv-no-fsync',
    title: 'writes acknowledged before they are durable: a kill of every node loses them',
    explanation:
      'Acknowledging a write that sits in a page cache or a user-space buffer trades durability for latency: ' +
      'MongoDB with j:false, Redis with appendfsync everysec, etcd\'s --unsafe-no-fsync (meant for tests only) all ' +
      'acknowledge writes a power loss or kill -9 can take back. Consensus does not save you when every replica ' +
      'loses the same tail. With --bug no-fsync raftkv writes its log back lazily, as a kernel does; the recipe kills ' +
      'every node with SIGKILL while adds go on (a surviving replica could hand a killed majority the lost tail ' +
      'back, so a kill of some nodes only sometimes shows it). Adds acknowledged since the last writeback are gone ' +
      'after the restart, and the set checker finds acknowledged elements missing from the final reads; the ' +
      'raft-protocol checker may see a member that restarted into an older term or removed entries it had committed.',
    db: 'raftkv',
    bugs: ['no-fsync'],
    workload: 'set',
    nemesis: ['kill-all'],
    nemesisInterval: '3s',
    nodes: 3,
    timeLimit: 20,
    seed: 1,
    expect: { valid: false, caughtBy: ['set', 'divergence', 'raft-protocol'] },
  },
  {
    name: 'raftkv-skip-fsync-power-loss',
    title: 'writes never fsynced: a power loss of every node takes back acknowledged adds (through the filesystem)',
    explanation:
      'The same bug class as raftkv-no-fsync, but shown the way it must be shown for a system faultline cannot ' +
      'change: from below. With --bug skip-fsync raftkv writes every entry and vote to the filesystem at once and ' +
      'never calls fsync; a kill -9 loses nothing (the kernel still has the pages), which is why such bugs survive ' +
      'ordinary crash testing. --nemesis lose-unsynced runs each node on faultline\'s lose-unsynced filesystem ' +
      '(disk/lazyfs.py, after Jepsen\'s lazyfs) and cuts the power: it kills the process and drops every byte the ' +
      'disk was never asked to make durable. Adds acknowledged by a majority are gone from every node after the ' +
      'restart; the set checker finds them missing from the final reads, the raft-protocol checker may see members ' +
      'restart into an older term or forget entries they had committed.',
    db: 'raftkv',
    bugs: ['skip-fsync'],
    workload: 'set',
    nemesis: ['lose-unsynced-all'],
    nemesisInterval: '3s',
    nodes: 3,
    timeLimit: 15,
    seed: 1,
    expect: { valid: false, caughtBy: ['set', 'divergence', 'raft-protocol'] },
  },
  {
    name: 'raftkv-power-loss',
    title: 'the correct raftkv under power losses: everything acknowledged was fsynced first (expected valid)',
    explanation:
      'The control for raftkv-skip-fsync-power-loss: the same power losses (of one node, the leader, a minority, a ' +
      'majority or all of them) against raftkv without bugs, which fsyncs its log and its vote before it answers or ' +
      'sends. What a drop discards was never acknowledged, so every acknowledged add must be in the final reads and ' +
      'the members must agree. A run that loses anything here is a false alarm of the filesystem (or a real raftkv bug).',
    db: 'raftkv',
    bugs: [],
    workload: 'set',
    nemesis: ['lose-unsynced'],
    nemesisInterval: '3s',
    nodes: 3,
    timeLimit: 15,
    seed: 1,
    expect: { valid: true, caughtBy: [] },
  },
  {
    name: 'etcd-power-loss',
    title: 'etcd 3.4.23 under power losses of its members: nothing acknowledged is lost (expected valid)',
    explanation:
      'Jepsen found etcd 3.5 losing acknowledged writes under lazyfs-style power loss only with its test-only ' +
      '--unsafe-no-fsync flag; with default settings etcd fsyncs its WAL before acknowledging. This recipe runs real ' +
      'etcd 3.4.23 on faultline\'s lose-unsynced filesystem and cuts the power of one member, the leader, a ' +
      'minority, a majority or all of them while clients write and compare-and-set registers. Expected: ' +
      'linearizable, no lost write, members agree after the final heal.',
    db: 'etcd',
    bugs: [],
    workload: 'register',
    nemesis: ['lose-unsynced'],
    nemesisInterval: '3s',
    nodes: 3,
    timeLimit: 15,
    seed: 1,
    readMode: 'linearizable',
    expect: { valid: true, caughtBy: [] },
  },
  {
    name: 'raftkv-corrupt',
    title: 'raftkv with bits flipped in and cuts made to its data files: a damaged record is refused, never applied (expected valid)',
    explanation:
      'Disks return bytes that differ from what was written (latent sector errors, misdirected writes, firmware ' +
      'bugs), and a Raft member that trusts them can apply a command nobody proposed or forget entries it promised ' +
      'to keep (Alagappan et al., Protocol-Aware Recovery, FAST 2018). --nemesis corrupt stops a minority, flips 8 ' +
      'bits in or truncates one of its files (log, snapshot or vote), each node in its own slice of the file so a ' +
      'majority always holds every byte intact, and starts it again. raftkv seals every record with a CRC-32: a ' +
      'damaged record is refused (the node exits, the nemesis records why and gives it its file back), a cut that ' +
      'lands inside the last record is a torn tail and is dropped as after a crash. Expected: linearizable, members ' +
      'agree. --bug no-checksum brings back the trust raftkv had before: it cuts the log at the first record that ' +
      'does not parse and applies a flipped digit as if it had been written (caught only in some runs, so no recipe yet).',
    db: 'raftkv',
    ...CORRUPT_RUN,
  },
  {
    name: 'raftkv-apply-index-race',
    title: 'applied index and state persisted apart: a restarted node skips entries and diverges',
    explanation:
      'etcd 3.5.0-3.5.2 could corrupt a member\'s data when it crashed at the wrong moment: the consistent index ' +
      '(how far the log was applied) and the key-value data it describes were not persisted atomically, so after a ' +
      'restart the member re-applied or skipped entries and its revisions diverged from its peers (etcd issue 13766, ' +
      'fixed in 3.5.3; found with etcd\'s own hash-based corruption check). With --bug apply-index-race raftkv dumps ' +
      'its state every 500 ms but records the applied index at every apply. The recipe kills nodes with SIGKILL; ' +
      'on restart a node trusts the newer index with the older state and never applies the entries between. The set ' +
      'workload appends to one list, so a skipped append is never overwritten by a later one. Clients reading ' +
      'through the leader rarely notice, but after the final heal the divergence checker asks every node for its state hash at the ' +
      'same applied index and names the member whose state differs, with the keys it lost.',
    db: 'raftkv',
    bugs: ['apply-index-race'],
    workload: 'set',
    nemesis: ['kill-one', 'kill-minority'],
    nemesisInterval: '2s',
    nodes: 3,
    timeLimit: 15,
    seed: 1,
    expect: { valid: false, caughtBy: ['divergence', 'set'] },
  },
  {
    name: 'raftkv-no-prevote-asymmetric',
    title: 'no pre-vote, no check-quorum: asymmetric partitions make nodes force elections',
    explanation:
      'In November 2020 a partially failed switch left Cloudflare\'s etcd cluster with links that worked in one ' +
      'direction only; without PreVote and CheckQuorum one member kept calling elections, leadership flapped, and ' +
      'the control plane built on etcd went down for hours. Pre-vote (Raft thesis 9.6) makes a node ask whether it ' +
      'could win before it bumps the term; check-quorum makes a leader that hears no majority step down. With --bug ' +
      'no-prevote raftkv has neither. The recipe cuts a node\'s links one way: its peers hear it, it hears no one. ' +
      'It times out, raises the term, and its vote requests depose a leader that the rest of the cluster could ' +
      'still hear; it can never win (the answers do not reach it), so it does so again every election timeout. ' +
      'This is an availability bug, not a safety bug: the safety checkers stay valid (a false alarm there would be ' +
      'the checker\'s bug). The elections checker counts ' +
      'the terms the nodes report after the final heal: with pre-vote and check-quorum a fault costs an election ' +
      'or two, without them the term climbs by several per fault, past what the faults explain.',
    db: 'raftkv',
    bugs: ['no-prevote'],
    workload: 'register',
    nemesis: ['partition-one-way'],
    nemesisInterval: '3s',
    nodes: 5,
    timeLimit: 20,
    seed: 1,
    expect: { valid: false, caughtBy: ['elections'] },
  },
  {
    name: 'raftkv-old-term-commit',
    title: "commit by counting replicas of an earlier term's entry (Raft figure 8): committed writes lost",
    explanation:
      'Figure 8 of the Raft paper shows why a leader may only commit entries of its own term by counting replicas: ' +
      'an entry from an earlier term stored on a majority can still be overwritten by a later leader that never had ' +
      'it. Several Raft implementations shipped exactly this rule and lost committed writes. With --bug ' +
      'old-term-commit raftkv commits earlier-term entries once a majority holds them. Random faults almost never ' +
      'line up the three leader changes the scenario needs, so the recipe plays it with the figure8 nemesis, a ' +
      'scripted sequence of real faults on five nodes: the leader and one follower are cut off and take writes; the ' +
      'first leader of the other three crashes at a failpoint right after persisting its own-term entry (as etcd\'s ' +
      'raftBeforeLeaderSend failpoint does); the partition heals and the old leader, its messages delayed, sends ' +
      'its old entries on one at a time (--max-append-entries 1); the moment a follower sees the commit index move, ' +
      'that leader is killed and the crashed node returns. A correct leader has not moved the commit index before its own entry is on a ' +
      'majority, so the returning node cannot win; the buggy one has, the returning node wins and overwrites ' +
      'entries that were acknowledged and applied. The set checker finds acknowledged adds missing, and the ' +
      'divergence checker the replicas that applied the overwritten entries; the raft-protocol checker sees a ' +
      'member remove entries at or below its own commit index.',
    db: 'raftkv',
    bugs: ['old-term-commit'],
    workload: 'set',
    nemesis: ['figure8'],
    nemesisInterval: '2s',
    nodes: 5,
    timeLimit: 30,
    seed: 1,
    maxAppendEntries: 1,
    expect: { valid: false, caughtBy: ['divergence', 'set', 'raft-protocol'] },
  },
  {
    name: 'raftkv-unsafe-snapshot',
    title: 'a follower installs a snapshot older than its state and keeps its applied index: permanent divergence',
    explanation:
      'A snapshot replaces a replica\'s whole state, so installing one older than what the replica already applied ' +
      'rolls it back, and if the replica keeps its applied index it never re-applies what was lost. etcd/raft refuses ' +
      'any snapshot at or below its commit index for exactly this reason (raft.go, restore), and a delayed or ' +
      'duplicated InstallSnapshot message is the classic way to reach it. With --bug unsafe-snapshot raftkv installs such ' +
      'snapshots. The recipe compacts every 20 entries, so a follower that falls a little behind is caught up by ' +
      'snapshot, and delays half of every node\'s peer messages by up to a second (the delay fault, done in raftkv\'s ' +
      'own transport since tc netem is missing here): a held snapshot is resent, the copy that gets through ' +
      'catches the follower up, and when the held copy lands the follower rolls back. The set workload appends to ' +
      'one list, so what the rollback lost is never written again. Clients reading through the leader do not ' +
      'notice; the divergence checker finds the member whose state hash differs at the common applied index and ' +
      'names the list it lost elements from.',
    db: 'raftkv',
    bugs: ['unsafe-snapshot'],
    workload: 'set',
    nemesis: ['delay-all'],
    nemesisInterval: '2s',
    nodes: 3,
    timeLimit: 20,
    seed: 1,
    snapshotEvery: 20,
    expect: { valid: false, caughtBy: ['divergence'] },
  },
  {
    name: 'etcd-serializable-stale-read',
    title: 'etcd serializable reads answered by a partitioned member: stale reads',
    explanation:
      'etcd offers two read modes: linearizable (the default, confirmed through the leader with ReadIndex) and ' +
      'serializable, which the contacted member answers from its local state, faster but possibly stale; etcd ' +
      'documents this, and Jepsen\'s etcd 3.4.3 analysis (2020) confirmed linearizable reads are linearizable and ' +
      'serializable reads are not. Applications that switch to serializable reads for speed inherit the staleness. ' +
      'The recipe runs the register workload with --read-mode serializable and cuts the leader or single members ' +
      'off: the majority moves on while the isolated member keeps answering reads with old values, and the ' +
      'linearizability checker reports a read that missed a completed write.',
    db: 'etcd',
    bugs: [],
    workload: 'register',
    nemesis: ['partition-leader', 'partition-one'],
    nemesisInterval: '3s',
    nodes: 3,
    timeLimit: 15,
    seed: 1,
    readMode: 'serializable',
    expect: { valid: false, caughtBy: ['linearizability'] },
  },
  {
    name: 'etcd-failpoint-crash',
    title: 'etcd 3.4.23 crashed at its own commit points (gofail failpoints): still linearizable (expected valid)',
    explanation:
      'etcd\'s robustness suite crashes members at gofail failpoints inside the code that persists and applies Raft ' +
      'state, because the moments between writing the WAL, saving a snapshot, sending to followers and committing ' +
      'the backend transaction are where durability bugs hide (the 3.5 data-inconsistency bug lived between two of ' +
      'them). This recipe runs etcd 3.4.23 built with its 16 failpoints (faultline setup --etcd-failpoints; built ' +
      'against Debian\'s library versions, not upstream\'s pinned ones), arms a panic or a sleep at a random one on ' +
      'the leader or a follower, waits until it fires, restarts the member and records which failpoint fired. ' +
      'Expected: every register operation linearizable and the members in agreement after the final heal.',
    db: 'etcd',
    bugs: [],
    workload: 'register',
    nemesis: ['failpoint'],
    nemesisInterval: '3s',
    nodes: 3,
    timeLimit: 20,
    seed: 1,
    readMode: 'linearizable',
    expect: { valid: true, caughtBy: [] },
  },
  {
    name: 'etcd-failpoint-watch',
    title: 'etcd 3.4.23 watches across crashes at its commit points: ordered, unique, complete (expected valid)',
    explanation:
      'The watch API promises events ordered by revision, never duplicated, transactions delivered whole, no gap ' +
      'after a resume from a revision, and progress notifications never ahead of what was delivered; etcd\'s own ' +
      'robustness tests check these under failpoint crashes. This recipe crashes etcd 3.4.23 members at random gofail ' +
      'failpoints (panic or sleep, leader or follower) while clients write and watchers follow key ranges, resuming ' +
      'after disconnects; the watch checker holds every delivered event against the acknowledged writes. Expected: ' +
      'every guarantee held.',
    db: 'etcd',
    bugs: [],
    workload: 'watch',
    nemesis: ['failpoint'],
    nemesisInterval: '3s',
    nodes: 3,
    timeLimit: 20,
    seed: 1,
    readMode: 'linearizable',
    expect: { valid: true, caughtBy: [] },
  },
  {
    name: 'etcd-lock-pause',
    title: 'etcd lease-based lock held by two clients after a process pause',
    explanation:
      'Jepsen\'s etcd 3.4.3 analysis (2020) showed that etcd locks are not mutual exclusion: a lock lives only as ' +
      'long as its lease, and when a member stops answering (a process pause, a GC stall, a partition) the ' +
      'holder\'s keepalives stop reaching the cluster, the lease expires, etcd deletes the lock key and grants the ' +
      'lock to the next waiter, while the first client still believes it holds it; a waiter whose own lease ' +
      'expired while it waited can even be told it acquired the lock. Kleppmann\'s "How to do distributed locking" ' +
      'explains why only fencing tokens make such locks safe. The recipe has three clients take turns holding one ' +
      'lock through the v3 lock API (leases of 2 s, holds of 2.5-4.5 s) while members are paused with SIGSTOP; the ' +
      'linearizability checker with the mutex model finds an acquire that succeeded while another client held the ' +
      'lock.',
    db: 'etcd',
    bugs: [],
    workload: 'lock',
    nemesis: ['pause-one', 'pause-minority'],
    nemesisInterval: '3s',
    nodes: 3,
    concurrency: 3,
    timeLimit: 30,
    seed: 1,
    opTimeout: 10_000,
    expect: { valid: false, caughtBy: ['linearizability'] },
  },
  {
    name: 'maelstrom-stale-read',
    title: 'a Maelstrom lin-kv node in Python answers reads from an asynchronously replicated copy: stale reads',
    explanation:
      'Reading from a replica that the primary updates asynchronously is the oldest way to make a store fast and ' +
      'lose linearizability: MongoDB\'s secondary reads, Redis replicas, MySQL read replicas all return values the ' +
      'primary has already overwritten, and Jepsen\'s analyses keep finding systems that promised more. ' +
      'examples/maelstrom-stale is a small Python node written for Maelstrom\'s lin-kv workload, speaking its JSON ' +
      'protocol on stdin and stdout, run unchanged in faultline\'s containers behind the Maelstrom shim, which carries ' +
      'its messages between nodes as UDP datagrams (so iptables partitions drop them). Writes and compare-and-sets go ' +
      'through a fixed primary, durably and in order; reads are answered by whichever node the client asked, from its ' +
      'copy. Even without faults a read on another node races the primary\'s update and can lose (the first anomaly ' +
      'often comes within a second); the recipe also cuts nodes off and kills them, and a node cut off from the ' +
      'primary keeps answering reads with the values it had while clients of the other nodes overwrite them. The ' +
      'linearizability checker reports a read that missed a write completed before the read began.',
    system: 'examples/maelstrom-stale/system.json',
    bugs: [],
    workload: 'register',
    nemesis: ['partition', 'kill'],
    nemesisInterval: '3s',
    nodes: 3,
    timeLimit: 20,
    seed: 1,
    opTimeout: 1000,
    expect: { valid: false, caughtBy: ['linearizability'] },
  },
  {
    name: 'maelstrom-primary',
    title: 'a Maelstrom lin-kv node in Python with one durable primary: linearizable under partitions and kills',
    explanation:
      'The control for maelstrom-stale-read, and the proof that a node written for Maelstrom runs unchanged under ' +
      'real faults: examples/maelstrom-primary is the same Python program without the local reads. Every read, write ' +
      'and compare-and-set goes to one fixed primary, which applies them one at a time and appends every change to a ' +
      'file it fsyncs before it answers; the other nodes forward their clients\' requests and relay the answers. A ' +
      'node cut off from the primary cannot answer (its clients time out: indeterminate writes, failed reads), a ' +
      'killed primary comes back with everything it acknowledged. Consistency over availability, as the CAP theorem ' +
      'allows: the linearizability checker must find nothing, in every run, under the same partitions and kills ' +
      'that catch maelstrom-stale-read (a false alarm here would be the checker\'s or the shim\'s bug).',
    system: 'examples/maelstrom-primary/system.json',
    bugs: [],
    workload: 'register',
    nemesis: ['partition', 'kill'],
    nemesisInterval: '3s',
    nodes: 3,
    timeLimit: 20,
    seed: 1,
    opTimeout: 1000,
    expect: { valid: true, caughtBy: [] },
  },
  {
    name: 'zookeeper-plain-read',
    title: 'ZooKeeper plain reads served by a member that lags or is cut off: stale reads',
    explanation:
      'ZooKeeper promises sequential consistency, not linearizability, for reads: a getData is answered by the ' +
      'member the session is connected to, from its own copy, which may lag the leader ("ZooKeeper does not ' +
      'guarantee that at every instance in time, two different clients will have identical views"; the ' +
      'programmer\'s guide says to call sync first when a read must see the latest write). The recipe runs the ' +
      'register workload with plain reads (--read-mode serializable): a write is acknowledged once the member its ' +
      'client talks to has applied the commit, and another member may apply it a moment later, so its clients can ' +
      'read the old value after the write completed. That needs no fault at all (caught in 10 of 10 seeds; in 6 of ' +
      'them the first stale read came within 0.7 s, before any fault); members cut off widen the window. ' +
      'The linearizability checker reports a read that missed a completed write. Its twin zookeeper-sync-read, the ' +
      'same run with sync before every read, is expected valid.',
    ...ZOOKEEPER_READ_RUN,
    readMode: 'serializable',
    expect: { valid: false, caughtBy: ['linearizability'] },
  },
  {
    name: 'zookeeper-sync-read',
    title: 'ZooKeeper reads after sync under the same faults: no stale read',
    explanation:
      'The control of zookeeper-plain-read: the same workload and partitions, but every read is sync followed by ' +
      'getData, which makes the member catch up with the leader before it answers. The linearizability checker ' +
      'should find nothing. This holds because a leader cut off from its followers stops leading (it misses their ' +
      'acknowledgements for syncLimit ticks) about when they stop following it, before they can elect another: a ' +
      'timing argument, not a quorum round. A paused leader breaks it (zookeeper-paused-leader-sync), so this ' +
      'recipe cuts the network and never pauses.',
    ...ZOOKEEPER_READ_RUN,
    readMode: 'linearizable',
    expect: { valid: true, caughtBy: [] },
  },
  {
    name: 'zookeeper-paused-leader-sync',
    title: 'ZooKeeper sync+read served by a paused leader after it was deposed: stale reads',
    explanation:
      'ZooKeeper\'s sync is not a quorum operation (ZOOKEEPER-1675): a leader answers it at once when it has no ' +
      'proposal in flight, trusting that it still leads. The recipe pauses the leader (SIGSTOP) for 1.8 s: after ' +
      'syncLimit (5 ticks of 200 ms) its followers give up on it, elect a new leader and go on committing writes. ' +
      'When the old leader resumes it has not yet noticed: until its next quorum check, a tick later, it answers ' +
      'sync at once and serves getData from its own stale tree, then steps down. Reads in that window miss writes ' +
      'that completed during the pause (often keys created meanwhile read as nil), which no linearization allows. ' +
      'The pause is shorter than the 2 s session timeout on purpose: a longer one lets the resumed leader expire ' +
      'the sessions first, and their close proposals hold every sync back. One client per member (concurrency 3) ' +
      'keeps proposals from the paused leader\'s own clients from doing the same. Found by faultline under ' +
      'partition,kill,pause (a sync+read of key 65 returned nil 20 ms after SIGCONT on the paused leader n2); ' +
      'npm run validate caught it in 10 of 10 seeds, the first stale read 3.9 to 16.4 s into the run.',
    db: 'zookeeper',
    bugs: [],
    workload: 'register',
    nemesis: ['pause-leader'],
    nemesisInterval: '1800ms',
    nodes: 3,
    concurrency: 3,
    timeLimit: 30,
    seed: 1,
    readMode: 'linearizable',
    expect: { valid: false, caughtBy: ['linearizability'] },
  },
];

/** The recipe by name, or undefined. */
export function recipeByName(name: string): Recipe | undefined {
  return RECIPES.find((r) => r.name === name);
}

export const RECIPE_NAMES: readonly string[] = RECIPES.map((r) => r.name);

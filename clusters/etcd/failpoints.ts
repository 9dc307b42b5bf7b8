// etcd 3.4.23's gofail failpoints, as the failpoint build (failpoint-build.ts)
// compiles them in, and the gofail terms faultline arms them with. Pure: the
// HTTP calls are in gofail.ts.
import type { FailpointAction, FailpointInfo } from '../db.ts';

/** Where the failpoint build's gofail HTTP endpoint listens in each node (GOFAIL_HTTP=<node ip>:PORT). */
export const GOFAIL_PORT = 22381;

const BOTH = ['panic', 'sleep'] as const;

/** Package (below go.etcd.io/etcd) and where each failpoint's code runs (etcdserver/raft.go, storage.go, rafthttp/stream.go, mvcc/backend). */
const TABLE: Record<string, { pkg: string; fires: FailpointInfo['fires']; when: string }> = {
  raftBeforeSaveWaitWalSync: { pkg: 'etcdserver', fires: 'any', when: 'before the WAL write of a Ready that must be synced before it is applied (term or vote change with entries)' },
  raftBeforeLeaderSend: { pkg: 'etcdserver', fires: 'leader', when: 'before the leader sends a Ready\'s messages' },
  raftBeforeSaveSnap: { pkg: 'etcdserver', fires: 'follower', when: 'before a follower saves a snapshot the leader sent' },
  raftAfterSaveSnap: { pkg: 'etcdserver', fires: 'follower', when: 'after a follower saved a snapshot the leader sent' },
  raftBeforeSave: { pkg: 'etcdserver', fires: 'any', when: 'before a Ready\'s entries and hard state go to the WAL (never on a one-member cluster)' },
  raftAfterSave: { pkg: 'etcdserver', fires: 'any', when: 'after a Ready went to the WAL' },
  raftBeforeApplySnap: { pkg: 'etcdserver', fires: 'follower', when: 'before a follower applies a snapshot the leader sent' },
  raftAfterApplySnap: { pkg: 'etcdserver', fires: 'follower', when: 'after a follower applied a snapshot the leader sent' },
  raftAfterWALRelease: { pkg: 'etcdserver', fires: 'follower', when: 'after a follower released WAL files behind a received snapshot' },
  raftBeforeWALSaveSnaphot: { pkg: 'etcdserver', fires: 'any', when: 'before a snapshot record goes to the WAL (every --snapshot-count entries, or a received snapshot)' },
  raftBeforeFollowerSend: { pkg: 'etcdserver', fires: 'follower', when: 'before a follower sends a Ready\'s messages' },
  raftDropHeartbeat: { pkg: 'etcdserver/api/rafthttp', fires: 'any', when: 'as a member reads a message off a peer stream' },
  defragBeforeCopy: { pkg: 'mvcc/backend', fires: 'any', when: 'at a defragmentation, before the keyspace is copied (faultline asks the member to defragment)' },
  defragBeforeRename: { pkg: 'mvcc/backend', fires: 'any', when: 'at a defragmentation, before the copy replaces the database file' },
  beforeCommit: { pkg: 'mvcc/backend', fires: 'any', when: 'before the backend commits its batch transaction (every 100 ms with writes)' },
  afterCommit: { pkg: 'mvcc/backend', fires: 'any', when: 'after the backend committed its batch transaction' },
};

export const ETCD_FAILPOINTS: readonly FailpointInfo[] = Object.entries(TABLE).map(([name, t]) => ({ name, fires: t.fires, modes: BOTH, when: t.when }));

/** The ones only a defragment request reaches. */
export const DEFRAG_FAILPOINTS: readonly string[] = ['defragBeforeCopy', 'defragBeforeRename'];

/** gofail's path of a failpoint: what GET / lists and PUT /<path> arms. */
export function gofailPath(name: string): string {
  const t = TABLE[name];
  if (!t) throw new Error(`etcd 3.4.23 has no failpoint ${name}`);
  return `go.etcd.io/etcd/${t.pkg}/${name}`;
}

/**
 * The gofail term for an action. A sleep holds the first pass, prints its
 * path at the second ("failpoint print: <path>" on etcd's stdout, in its
 * log: the evidence that a pass slept) and holds every later one. gofail runs
 * one term per pass, so a print cannot share the first pass with its sleep;
 * printing first (`1*print->sleep`) let the first pass through unheld, which
 * is the one figure 8's held leader needs held (its first entry went out at
 * once) and the only one a defragment reaches. A panic's message names the
 * failpoint. No term returns a value, so gofail never keeps the failpoint's
 * lock past the pass and disarming cannot block.
 */
export function gofailTerm(name: string, action: FailpointAction): string {
  if (action.mode === 'panic') return `panic("faultline ${name}")`;
  const ms = Math.round(action.ms);
  return `1*sleep(${ms})->1*print->sleep(${ms})`;
}

/** What etcd's log shows once the armed failpoint fired (gofailTerm). */
export function gofailFiredText(name: string, action: FailpointAction): string {
  return action.mode === 'panic' ? `failpoint panic: faultline ${name}` : `failpoint print: ${gofailPath(name)}`;
}

/** `GET /` of the gofail endpoint: "<path>=<term>" lines -> path -> term ('' when disarmed). */
export function parseGofailList(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

// The failpoints a DB offers the failpoint nemesis, under etcd's gofail
// names: etcd's failpoint build has them all (DB.failpoints); raftkv has
// crash points of its own (DB.armFailpoint, raftkv/failpoints.ts), offered
// here under the etcd name whose meaning they share, panic only.
import type { DB, FailpointInfo, Failpoints } from '../clusters/index.ts';
import type { Failpoint as RaftkvFailpoint } from '../raftkv/index.ts';

/**
 * raftkv crash points that mean an etcd failpoint armed with panic.
 * crash-before-leader-send ~ raftBeforeLeaderSend: the leader dies before a
 * Ready's messages leave. (etcd's leader persists that Ready after sending,
 * raftkv's before: neither sends it, and both lose nothing it persisted.)
 */
const RAFTKV_EQUIVALENTS: Record<string, { crashPoint: RaftkvFailpoint; point: FailpointInfo; logText: string }> = {
  raftBeforeLeaderSend: {
    crashPoint: 'crash-before-leader-send',
    point: { name: 'raftBeforeLeaderSend', fires: 'leader', modes: ['panic'], when: "before the leader sends a Ready's messages (raftkv: crash-before-leader-send)" },
    logText: 'failpoint crash-before-leader-send: exiting',
  },
};

/** Crash points behind DB.armFailpoint, as Failpoints (panic only: a crash point cannot sleep). */
function crashPoints(db: DB): Failpoints {
  return {
    points: Object.values(RAFTKV_EQUIVALENTS).map((e) => e.point),
    async set(c, node, name, action) {
      const e = RAFTKV_EQUIVALENTS[name];
      if (!e || (action && action.mode !== 'panic')) throw new Error(`${db.name} cannot arm ${name}${action ? ` with ${action.mode}` : ''}`);
      await db.armFailpoint!(c, node, e.crashPoint, action !== null);
    },
    firedText: (name) => RAFTKV_EQUIVALENTS[name]?.logText ?? `failpoint ${name}`,
  };
}

/** The DB's failpoints under etcd's names; undefined for a DB without any. */
export function failpointsOf(db: Pick<DB, 'name' | 'failpoints' | 'armFailpoint'>): Failpoints | undefined {
  if (db.failpoints) return db.failpoints;
  return db.armFailpoint ? crashPoints(db as DB) : undefined;
}

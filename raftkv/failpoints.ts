// Crash points of the raftkv server, armed by the nemesis.
/**
 * Crash points the nemesis can arm (POST /admin/failpoint), modelled on
 * etcd's gofail failpoints. They are in every build: they do nothing until
 * armed, and arming one is a fault, not a bug.
 *   crash-before-leader-send  die (SIGKILL) right after persisting the first
 *                             Ready that has messages to send as leader
 */
export const FAILPOINTS = ['crash-before-leader-send'] as const;
export type Failpoint = (typeof FAILPOINTS)[number];

export function isFailpoint(name: unknown): name is Failpoint {
  return (FAILPOINTS as readonly unknown[]).includes(name);
}

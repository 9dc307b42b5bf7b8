// Databases by name, for the CLI.
import { UserError } from '../history/errors.ts';
import type { DB } from './db.ts';
import { etcdDb } from './etcd/etcd.ts';
import { raftkvDb } from './raftkv/db.ts';

export interface DbOptions {
  etcdBinary?: string;
  /** raftkv's seeded bugs (raftkv/bugs.ts). */
  bugs?: readonly string[];
}

export const DB_NAMES = ['etcd', 'raftkv'] as const;

export function dbByName(name: string, opts: DbOptions = {}): DB {
  switch (name) {
    case 'etcd':
      return etcdDb({ binary: opts.etcdBinary });
    case 'raftkv':
      return raftkvDb({ bugs: opts.bugs });
    default:
      throw new UserError(`unknown --db ${JSON.stringify(name)}; known: ${DB_NAMES.join(', ')}`);
  }
}

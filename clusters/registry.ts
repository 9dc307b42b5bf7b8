// Databases by name, for the CLI.
import { UserError } from '../harness/errors.ts';
import type { DB } from './db.ts';
import { etcdDb } from './etcd/etcd.ts';

export interface DbOptions {
  etcdBinary?: string;
}

export const DB_NAMES = ['etcd'] as const;

export function dbByName(name: string, opts: DbOptions = {}): DB {
  switch (name) {
    case 'etcd':
      return etcdDb({ binary: opts.etcdBinary });
    default:
      throw new UserError(`unknown --db ${JSON.stringify(name)}; known: ${DB_NAMES.join(', ')}`);
  }
}

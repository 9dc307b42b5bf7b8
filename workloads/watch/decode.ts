// etcd's watch responses as the v3 gateway streams them (one JSON object a
// line, {"result": WatchResponse}) turned into the history's WatchItems.
// proto3 JSON leaves defaults out: no "type" means PUT, no value means "".
import { unb64 } from '../../clusters/index.ts';
import type { KvState, WatchEvent, WatchItem } from '../../checkers/index.ts';

interface RawKv {
  key?: string;
  value?: string;
  mod_revision?: string;
  create_revision?: string;
  version?: string;
}

export interface RawWatchResponse {
  header?: { revision?: string };
  created?: boolean;
  canceled?: boolean;
  cancel_reason?: string;
  compact_revision?: string;
  events?: Array<{ type?: 'PUT' | 'DELETE'; kv?: RawKv; prev_kv?: RawKv }>;
}

const state = (kv: RawKv): KvState => ({ value: unb64(kv.value), mod: Number(kv.mod_revision ?? 0), create: Number(kv.create_revision ?? 0), version: Number(kv.version ?? 0) });

function event(raw: NonNullable<RawWatchResponse['events']>[number]): WatchEvent {
  const kv = raw.kv ?? {};
  return { type: raw.type === 'DELETE' ? 'DELETE' : 'PUT', key: unb64(kv.key), ...state(kv), ...(raw.prev_kv ? { prev: state(raw.prev_kv) } : {}) };
}

/** The item one response is, or undefined for the `created` acknowledgement. */
export function decodeWatchResponse(r: RawWatchResponse): WatchItem | undefined {
  const revision = Number(r.header?.revision ?? 0);
  if (r.canceled) return { kind: 'canceled', reason: r.cancel_reason ?? 'canceled', ...(Number(r.compact_revision ?? 0) ? { compactRevision: Number(r.compact_revision) } : {}) };
  if (r.events?.length) return { kind: 'events', revision, events: r.events.map(event) };
  if (r.created) return undefined;
  // etcd's IsProgressNotify: nothing else in it but the header.
  return { kind: 'progress', revision };
}

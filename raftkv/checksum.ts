// Every record raftkv stores carries a CRC-32 of its text, so a damaged
// disk is told apart from a crash: a record cut short by a crash has no
// newline yet (storage.ts drops that torn tail), while a complete record
// whose checksum disagrees was changed after it was written, and the
// node refuses to start on it rather than apply or forget what it held.
// Found by --nemesis corrupt: before checksums, a flipped bit in the middle
// of the log made the record unparsable and recovery cut the log there,
// silently forgetting entries the node had acknowledged; a flipped bit that
// still parsed (one digit of a value for another) was applied as written.
import { crc32 } from 'node:zlib';

/** A record as stored: its CRC-32 in 8 hex digits, a space, then the text. */
export function seal(text: string): string {
  return `${crc32(text).toString(16).padStart(8, '0')} ${text}`;
}

export class CorruptRecord extends Error {
  override name = 'CorruptRecord';
}

const SEALED = /^([0-9a-f]{8}) ([^]*)$/;

/**
 * The text of a sealed record. Throws CorruptRecord, naming `where`, when
 * the seal is missing or the checksum disagrees; with `verify` false (the
 * no-checksum bug) the text after the seal is trusted as it is.
 */
export function unseal(record: string, where: string, verify = true): string {
  if (!verify) return record.slice(9);
  const m = SEALED.exec(record);
  if (!m) throw new CorruptRecord(`${where}: no checksum where one was written: the record is damaged`);
  const computed = crc32(m[2]).toString(16).padStart(8, '0');
  if (computed !== m[1]) throw new CorruptRecord(`${where}: checksum ${m[1]} stored, ${computed} computed: the record changed after it was written`);
  return m[2];
}

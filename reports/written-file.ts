// Writing a report file from string parts, and what the writers return.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

export interface WrittenFile {
  path: string;
  bytes: number;
}

/** Streams string parts to a file (a 1M-op report is tens of MB: no giant concatenation). */
export async function writeParts(file: string, parts: readonly string[]): Promise<WrittenFile> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  let bytes = 0;
  for (const part of parts) {
    bytes += Buffer.byteLength(part);
    if (!out.write(part)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return { path: path.resolve(file), bytes };
}

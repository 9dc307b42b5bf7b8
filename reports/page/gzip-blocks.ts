// The page's binary data blocks: base64 text of gzipped bytes (reports/columns.ts gzipBase64).

/** Base64 text -> bytes (the built-in decoder where the browser has one). */
export function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const Bytes = Uint8Array as typeof Uint8Array & { fromBase64?(text: string): Uint8Array<ArrayBuffer> };
  if (typeof Bytes.fromBase64 === 'function') return Bytes.fromBase64(text.trim());
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

// Versions test.json records: faultline's own (package.json) and the kernel's.
import fs from 'node:fs';
import os from 'node:os';

export function faultlineVersion(): string {
  const pkg = new URL('../package.json', import.meta.url);
  return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
}

export function kernelVersion(): string {
  return os.release();
}


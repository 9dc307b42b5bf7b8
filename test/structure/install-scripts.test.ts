// `npm ci` stays quiet: every dependency that ships an install script has a
// decision in package.json's allowScripts (npm warns about the undecided ones).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(root, f), 'utf8'));

describe('install scripts', () => {
  it('each dependency with one is approved or denied, with the reason written beside the list', () => {
    const lock = read('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
    const pkg = read('package.json') as { allowScripts?: Record<string, boolean>; '//allowScripts'?: string };
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([where]) => where.split('node_modules/').at(-1)!);
    expect(withScripts.length).toBeGreaterThan(0);
    for (const name of withScripts) expect(Object.keys(pkg.allowScripts ?? {}), name).toContain(name);
    expect(pkg['//allowScripts']).toMatch(/esbuild/);
  });
});

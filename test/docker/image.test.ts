// Offline images: built FROM scratch out of host files, tagged by their
// content, reused when nothing changed, and they really run.
import { afterAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, docker, type ImageSpec } from '../../clusters/index.ts';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';

const name = `imgtest-${randomUUID().slice(0, 8)}`;
const spec = (marker: string): ImageSpec => ({
  name,
  files: [{ from: '/bin/cat', elf: true }],
  texts: { '/marker': `${marker}\n` },
});
const built: string[] = [];

afterAll(async () => {
  for (const tag of built) await docker().getImage(tag).remove({ force: true }).catch(() => undefined);
});

describe('offline image builder', () => {
  it('builds once, reuses the image while the content is the same, rebuilds when it changes; the image runs', async () => {
    await ensureEnvironment({ log: () => undefined });
    const first = await buildImage(spec('one'));
    built.push(first.tag);
    expect(first.cached).toBe(false);
    expect(first.tag).toMatch(new RegExp(`^faultline-${name}:[0-9a-f]+$`));

    const again = await buildImage(spec('one'));
    expect(again).toMatchObject({ tag: first.tag, cached: true });

    const changed = await buildImage(spec('two'));
    built.push(changed.tag);
    expect(changed.cached).toBe(false);
    expect(changed.tag).not.toBe(first.tag);

    // The scratch image holds cat and its libraries: it can print the marker.
    const container = await docker().createContainer({ Image: changed.tag, Cmd: ['/bin/cat', '/marker'], HostConfig: { NetworkMode: 'none' } });
    try {
      await container.start();
      await container.wait();
      const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
      expect(logs).toContain('two');
    } finally {
      await container.remove({ force: true });
    }
  });

  it('a host file edited between two builds of one spec in one process gives a new tag (the remembered tag is not trusted)', async () => {
    await ensureEnvironment({ log: () => undefined });
    const dir = mkdtempSync(join(tmpdir(), 'faultline-imgtest-'));
    try {
      const file = join(dir, 'payload.txt');
      writeFileSync(file, 'first\n');
      const fileSpec: ImageSpec = { name, files: [{ from: file, to: '/payload.txt' }] };
      const a = await buildImage(fileSpec);
      built.push(a.tag);
      expect((await buildImage(fileSpec)).tag).toBe(a.tag);
      writeFileSync(file, 'second, longer\n');
      const b = await buildImage(fileSpec);
      built.push(b.tag);
      expect(b.cached).toBe(false);
      expect(b.tag).not.toBe(a.tag);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

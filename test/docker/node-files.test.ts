// Files in and out of a node container through the engine's archive API
// (what corrupt reads and writes back): binary-safe, the mode kept, and no
// engine response left open after the read, whatever it ends on. A response
// left half read held a socket, and with it the CLI, open after a corrupt run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvironment } from '../../clusters/environment/setup.ts';
import { DockerDbCluster, type DockerClusterInfo } from '../../clusters/index.ts';
import { raftkvDb } from '../../clusters/raftkv/db.ts';
import { leftovers, waitFor } from '../support/docker.ts';

let db: DockerDbCluster;
let info: DockerClusterInfo;

beforeAll(async () => {
  await ensureEnvironment();
  db = new DockerDbCluster({ db: raftkvDb(), nodeCount: 1 });
  info = await db.setup(mkdtempSync(join(tmpdir(), 'faultline-node-files-')));
}, 300_000);
afterAll(async () => {
  await db?.teardown();
  if (info) expect(await leftovers(info.cluster.runId)).toEqual({ containers: 0, networks: 0 });
}, 120_000);

const openArchiveRequests = (): string[] =>
  (process as unknown as { _getActiveHandles(): { _httpMessage?: { path?: string } }[] })._getActiveHandles()
    .map((h) => h._httpMessage?.path ?? '')
    .filter((p) => p.includes('/archive'));
/** A destroyed response lets go of its socket within a tick or two; one left open never does. */
const archiveRequestsClose = () => waitFor('archive responses closed', async () => openArchiveRequests().length === 0, 2000, 20);

describe('node files through the engine', () => {
  it('a 4 MB binary file comes back byte for byte with its mode, and its response is closed', async () => {
    const data = randomBytes(4 << 20);
    await info.cluster.writeFile('n1', '/tmp/big.bin', data, 0o600);
    const back = await info.cluster.readFileBytes('n1', '/tmp/big.bin');
    expect(back.data.equals(data)).toBe(true);
    expect(back.mode & 0o777).toBe(0o600);
    await archiveRequestsClose();
  }, 60_000);

  it('a folder is refused as not a regular file, and its response is closed too', async () => {
    await expect(info.cluster.readFileBytes('n1', '/tmp')).rejects.toThrow(/\/tmp is not a regular file/);
    await archiveRequestsClose();
  }, 60_000);
});

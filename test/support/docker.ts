// Helpers for tests that start real containers.
import { docker, RUN_LABEL } from '../../clusters/docker/engine.ts';

/** Containers and networks still carrying a run's label. */
export async function leftovers(runId: string): Promise<{ containers: number; networks: number }> {
  const filters = { label: [`${RUN_LABEL}=${runId}`] };
  const containers = await docker().listContainers({ all: true, filters });
  const networks = await docker().listNetworks({ filters });
  return { containers: containers.length, networks: networks.length };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

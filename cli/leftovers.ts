// Containers and networks of runs whose controller died (SIGKILL) still hold
// addresses and iptables rules: `faultline test` says so once, at the start.
import type { RunObjects } from '../clusters/index.ts';

export function leftoversWarning(runs: readonly RunObjects[]): string | undefined {
  const dead = runs.filter((r) => !r.ownerAlive && r.mode !== 'manual');
  if (dead.length === 0) return undefined;
  const what = dead.map((r) => `${r.runId} (${r.containers.length} containers, ${r.networks.length} networks)`).join(', ');
  return `${dead.length} run(s) whose controller died left Docker objects behind: ${what}; remove them with \`faultline clean\``;
}

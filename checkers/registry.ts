// Checkers by name: the one table behind `faultline test` (workloads build
// their checkers through checkerFromSpec), `faultline analyze` (test.json
// names each checker and its JSON config) and `faultline check` (--checker),
// so all three run the very same checker, the same search included.
// Extend with registerChecker.
import { checkLinearizabilityParallel, describeLinearizabilityResult, withSmallestStory } from './linearizability/index.ts';
import { ELLE_WORKLOADS, canonicalAnomaly, canonicalModel, checkElle, describeElleResult, type ElleOptions } from './elle/index.ts';
import { checkBank, checkCounter, checkSet, type BankConfig, type CounterConfig } from './invariants/index.ts';
import { modelByName, modelNames, type ModelOptions } from './models/index.ts';
import { checkDivergence, withoutStateHashes } from './divergence.ts';
import { checkElections, type ElectionsConfig } from './elections.ts';
import { checkFaults, type FaultsConfig } from './faults.ts';
import { raftProtocolChecker } from './raft-protocol.ts';
import { checkWatch } from './watch/index.ts';
import { UserError } from '../history/index.ts';
import { wellFormedChecker } from './well-formed.ts';
import type { Checker, CheckerSpec } from './checker.ts';
import type { CheckResult } from './result.ts';

export type CheckerFactory = (config: Record<string, unknown>) => Checker;

interface Entry {
  describe: string;
  make: CheckerFactory;
  /** Terminal lines that explain an invalid result (`faultline check`). */
  explain?: (result: CheckResult) => string[];
}

const registry = new Map<string, Entry>();

export function registerChecker(name: string, describe: string, make: CheckerFactory, explain?: (result: CheckResult) => string[]): void {
  registry.set(name, { describe, make, ...(explain ? { explain } : {}) });
}

export function checkerNames(): string[] {
  return [...registry.keys()];
}

export function checkerDescription(name: string): string | undefined {
  return registry.get(name)?.describe;
}

/** Lines that explain an invalid result, from its checker's entry (none when it has no explainer). */
export function explainResult(result: CheckResult): string[] {
  return registry.get(result.checker)?.explain?.(result) ?? [];
}

export function checkerFromSpec(spec: CheckerSpec): Checker {
  const entry = registry.get(spec.name);
  if (!entry) throw new UserError(`unknown checker '${spec.name}'`, `Known checkers: ${checkerNames().join(', ')}`);
  return entry.make(spec.config ?? {});
}

export interface LinearizabilityConfig extends ModelOptions {
  /** A model name from checkers/models (e.g. 'cas-register', 'kv-cas-register'). */
  model: string;
  /** Give up with 'unknown' after this long. */
  timeoutMs?: number;
  /** Check the model's partitions (keys) separately (default true). */
  partition?: boolean;
  /** Memory budget of the search (default 1 GiB): past it, 'unknown'. */
  maxMemoryBytes?: number;
  /** Worker threads for partitions still unchecked after 0.5 s (default: cores - 1; 0: none). */
  workers?: number;
  /** Time to shrink an invalid history's counterexample to its smallest story (default 10 s; 0: do not shrink). */
  shrinkTimeoutMs?: number;
}

export function linearizabilityChecker(config: LinearizabilityConfig): Checker {
  const { model: modelName, timeoutMs, partition, maxMemoryBytes, workers, shrinkTimeoutMs, ...modelOptions } = config;
  if (!modelByName(modelName, modelOptions)) throw new UserError(`unknown model '${modelName}'`, `Known models: ${modelNames.join(', ')}`);
  const search = { timeoutMs, partition, maxMemoryBytes, workers };
  return {
    name: 'linearizability',
    config: { ...config },
    check: async (history) => {
      // State-hash observations (checkers/divergence.ts) are no model operation.
      const ops = withoutStateHashes(history);
      const result = await checkLinearizabilityParallel(ops, { name: modelName, options: modelOptions }, search);
      if (shrinkTimeoutMs === 0) return result;
      return withSmallestStory(result, ops, modelByName(modelName, modelOptions)!, { timeoutMs: shrinkTimeoutMs });
    },
  };
}

registerChecker('history', 'the history itself is well formed (indexes, times, invoke/completion pairing)', () => wellFormedChecker);
registerChecker(
  'linearizability',
  'WGL linearizability against a model; config { model, timeoutMs?, initial?, nilRead?, partition?, maxMemoryBytes?, workers?, shrinkTimeoutMs? (0: no smallest story) }',
  (config) => {
    if (typeof config.model !== 'string') throw new UserError("the linearizability checker needs config.model, e.g. 'cas-register'");
    return linearizabilityChecker(config as unknown as LinearizabilityConfig);
  },
  describeLinearizabilityResult,
);
registerChecker(
  'elle',
  'Elle-style transactional isolation (list-append / rw-register); config { workload? (list-append | rw-register; needed when the history only reads), consistencyModels?, anomalies?, cycleSearchTimeoutMs? (or timeoutMs), wfrKeys?, sequentialKeys?, linearizableKeys? }',
  (config) => {
    const { timeoutMs, ...rest } = config as ElleOptions & { timeoutMs?: number };
    const opts: ElleOptions = timeoutMs === undefined || rest.cycleSearchTimeoutMs !== undefined ? rest : { ...rest, cycleSearchTimeoutMs: timeoutMs };
    // Bad names fail when the checker is built, before any history is read.
    if (opts.workload !== undefined && !ELLE_WORKLOADS.includes(opts.workload)) {
      throw new UserError(`unknown elle workload '${String(opts.workload)}'`, `Known workloads: ${ELLE_WORKLOADS.join(', ')}`);
    }
    const known = (name: string, canonical: (name: string) => string) => {
      try {
        canonical(name);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
    };
    for (const m of opts.consistencyModels ?? []) known(m, canonicalModel);
    for (const a of opts.anomalies ?? []) known(a, canonicalAnomaly);
    return { name: 'elle', config: { ...config }, check: (history) => checkElle(history, opts) };
  },
  describeElleResult,
);
registerChecker('set', 'set invariant: every ok add in later reads, nothing never added; no config', () => ({ name: 'set', check: (h) => checkSet(h) }));
registerChecker('bank', 'bank invariant: every read sees all accounts, no negative balance, constant total; config { accounts, total }', (config) => {
  const c = config as unknown as BankConfig;
  if (!Array.isArray(c.accounts) || typeof c.total !== 'number') throw new UserError('the bank checker needs config { accounts: [...], total: number }');
  return { name: 'bank', config: { ...config }, check: (h) => checkBank(h, c) };
});
registerChecker('counter', 'counter invariant: each read between acknowledged and attempted sums; config { initial? }', (config) => ({
  name: 'counter',
  config: { ...config },
  check: (h) => checkCounter(h, config as CounterConfig),
}));
registerChecker('divergence', 'replicas hash their state at one common applied index after the final heal: every member must agree; no config', () => ({
  name: 'divergence',
  check: (h, ctx) => checkDivergence(h, ctx),
}));
registerChecker(
  'elections',
  'leadership churn: elections (from the nodes\' final terms) within baseline + perFault x faults injected; config { perFault?, baseline? }',
  (config) => ({ name: 'elections', config: { ...config }, check: (h) => checkElections(h, config as ElectionsConfig) }),
);
registerChecker(
  'raft-protocol',
  "Raft's safety rules on the members' own logs (raft-trace.json): one leader and one vote per term, terms never go back, committed entries never removed; no config",
  () => raftProtocolChecker(),
  (r) => ((r.details as { violations?: Array<{ explanation: string }> } | undefined)?.violations ?? []).map((v) => v.explanation),
);
registerChecker(
  'faults',
  'every requested fault kind took effect (nemesis evidence in the history) and the final heal worked; per fault its effect on the clients; config { requested?, allowIneffective? }',
  (config) => ({ name: 'faults', config: { ...config }, check: (h) => checkFaults(h, config as FaultsConfig) }),
);
registerChecker(
  'watch',
  "etcd's watch guarantees (ordered, unique, atomic, reliable, bookmarkable, prev_kv, filters, values) against the ok and info writes; no config",
  () => ({ name: 'watch', check: (h) => checkWatch(h) }),
  (r) => ((r.details as { violations?: Array<{ explanation: string }> } | undefined)?.violations ?? []).map((v) => v.explanation),
);

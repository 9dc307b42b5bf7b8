// Checkers by name, so a stored run can be checked again (`faultline
// analyze`) from what test.json says: each checker's name and JSON config.
// Workloads build their checkers through checkerFromSpec too, so a run and
// its re-analysis use the very same checker. Extend with registerChecker.
import { checkLinearizability } from './linearizability/index.ts';
import { canonicalModel, checkElle, type ElleOptions } from './elle/index.ts';
import { checkBank, checkCounter, checkSet, type BankConfig, type CounterConfig } from './invariants/index.ts';
import { modelByName, modelNames, type ModelOptions } from './models/index.ts';
import { checkDivergence, withoutStateHashes } from './divergence.ts';
import { checkElections, type ElectionsConfig } from './elections.ts';
import { UserError } from '../history/errors.ts';
import { wellFormedChecker } from './well-formed.ts';
import type { Checker, CheckerSpec } from './checker.ts';

export type CheckerFactory = (config: Record<string, unknown>) => Checker;

interface Entry {
  describe: string;
  make: CheckerFactory;
}

const registry = new Map<string, Entry>();

export function registerChecker(name: string, describe: string, make: CheckerFactory): void {
  registry.set(name, { describe, make });
}

export function checkerNames(): string[] {
  return [...registry.keys()];
}

export function checkerDescription(name: string): string | undefined {
  return registry.get(name)?.describe;
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
}

export function linearizabilityChecker(config: LinearizabilityConfig): Checker {
  const { model: modelName, timeoutMs, ...modelOptions } = config;
  const model = modelByName(modelName, modelOptions);
  if (!model) throw new UserError(`unknown model '${modelName}'`, `Known models: ${modelNames.join(', ')}`);
  return {
    name: 'linearizability',
    config: { ...config },
    // State-hash observations (checkers/divergence.ts) are no model operation.
    check: (history) => checkLinearizability(withoutStateHashes(history), model, timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

registerChecker('history', 'the history itself is well formed (indexes, times, invoke/completion pairing)', () => wellFormedChecker);
registerChecker('linearizability', 'WGL linearizability against a model; config { model, timeoutMs?, initial?, nilRead? }', (config) => {
  if (typeof config.model !== 'string') throw new UserError("the linearizability checker needs config.model, e.g. 'cas-register'");
  return linearizabilityChecker(config as unknown as LinearizabilityConfig);
});
registerChecker(
  'elle',
  'Elle-style transactional isolation (list-append / rw-register); config { consistencyModels?, workload?, cycleSearchTimeoutMs?, linearizableKeys?, wfrKeys? }',
  (config) => {
    const opts = config as ElleOptions;
    for (const m of opts.consistencyModels ?? []) {
      try {
        canonicalModel(m);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
    }
    return { name: 'elle', config: { ...config }, check: (history) => checkElle(history, opts) };
  },
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

// The elle checker: history -> transactions -> data dependencies (list-append
// or rw-register) + process/real-time order -> dependency graph -> SCCs ->
// cycles -> anomalies -> which consistency models they rule out.
import type { Op } from '../../history/index.ts';
import type { CheckResult } from '../result.ts';
import { AnomalyLog } from './anomalies.ts';
import { allClassSpecs, searchClass, witnessCycle, type FoundCycle } from './cycles.ts';
import type { DataDependencies } from './dependencies.ts';
import { explainCycle } from './explain.ts';
import { EdgeBuilder, type Graph } from './graph.ts';
import { analyzeListAppend } from './list-append.ts';
import { canonicalModel, edgesNeeded, impliedModels, modelAutomaton, ruledOut } from './models.ts';
import { addProcessEdges, addRealtimeEdges } from './order.ts';
import { analyzeRwRegister, type RwRegisterOptions } from './rw-register.ts';
import { filterAutomaton, regionsOf, stronglyConnected, wholeGraph, type Region } from './scc.ts';
import { collectTxns, type Txns } from './txns.ts';
import type { ElleDetails, ElleWorkload, Txn } from './types.ts';

export interface ElleOptions extends RwRegisterOptions {
  /** Default: detected from the micro-ops (any 'append' means list-append, any 'w' rw-register). */
  workload?: ElleWorkload;
  /** Models to check; the result is invalid when any of them is ruled out. Default strict-serializable. */
  consistencyModels?: string[];
  /**
   * Time budget for classifying cycles (ms, whole check). Whether each model
   * holds is decided exactly in linear time regardless; running out only
   * means some anomaly classes may be missing from the list
   * (reported as cycle-search-timeout).
   */
  cycleSearchTimeoutMs?: number;
}

const DEFAULT_MODELS = ['strict-serializable'];
const DEFAULT_BUDGET_MS = 10_000;
/** No single class search may eat the whole budget. */
const PER_SEARCH_MS = 1_000;
const TIMEOUT = 'cycle-search-timeout';

export function checkElle(history: readonly Op[], opts: ElleOptions = {}): CheckResult {
  const txns = collectTxns(history);
  const workload = opts.workload ?? detectWorkload(txns);
  const models = (opts.consistencyModels?.length ? opts.consistencyModels : DEFAULT_MODELS).map(canonicalModel);
  const need = edgesNeeded(models);
  const log = new AnomalyLog();
  let mops = 0;
  for (const t of txns.nodes) mops += t.mops.length;
  const edges = new EdgeBuilder(2 * mops + (need.process ? txns.nodes.length : 0) + (need.realtime ? 12 * txns.nodes.length : 0) + 1024);
  const deps = workload === 'list-append' ? analyzeListAppend(txns, edges, log) : analyzeRwRegister(txns, edges, log, opts);
  if (need.process) addProcessEdges(txns.nodes, edges);
  if (need.realtime) addRealtimeEdges(txns.nodes, edges);
  const g = edges.build(txns.nodes.length);

  const started = performance.now();
  const regions = regionsOf(g, stronglyConnected(g, wholeGraph(g), filterAutomaton(0xff)));
  const cycles = new CycleLog(log, txns.nodes, deps);
  let timedOut = false;
  if (regions.length) {
    decideModels(g, regions, models, cycles, log);
    timedOut = classifyCycles(g, regions, need, cycles, log, started + (opts.cycleSearchTimeoutMs ?? DEFAULT_BUDGET_MS));
  }
  const cycleSearchMs = Math.round(performance.now() - started);

  const anomalyTypes = log.types();
  const { not, alsoNot } = ruledOut(anomalyTypes.filter((a) => a !== TIMEOUT));
  const impossible = new Set([...not, ...alsoNot]);
  const violated = models.filter((m) => impossible.has(m));
  const details: ElleDetails = {
    workload,
    consistencyModels: models,
    anomalyTypes,
    anomalies: log.examples,
    anomalyCounts: log.counts,
    not,
    alsoNot,
    stats: {
      txns: txns.nodes.length + txns.failed.length,
      ok: count(txns.nodes, 'ok'),
      info: count(txns.nodes, 'info'),
      fail: txns.failed.length,
      edges: g.targets.length,
      sccs: regions.length,
      largestScc: regions.reduce((m, r) => Math.max(m, r.nodes.length), 0),
      cycleSearchMs,
      timedOut,
    },
    ...(deps.limits.length ? { limits: deps.limits } : {}),
  };
  const found = anomalyTypes.map((a) => `${a} (${log.counts[a]})`).join(', ');
  const summary = violated.length
    ? `not ${violated.join(', ')}: ${found}`
    : `${workload}: ${details.stats.txns} transactions, ${anomalyTypes.length ? `anomalies ${found}, none` : 'no anomaly'} forbidden by ${models.join(', ')}`;
  return { checker: 'elle', valid: violated.length ? false : true, summary, details };
}

/** list-append history (append/r) */
export function checkListAppend(history: readonly Op[], opts: ElleOptions = {}): CheckResult {
  return checkElle(history, { ...opts, workload: 'list-append' });
}

/** rw-register history (w/r) */
export function checkRwRegister(history: readonly Op[], opts: ElleOptions = {}): CheckResult {
  return checkElle(history, { ...opts, workload: 'rw-register' });
}

function count(txns: readonly Txn[], type: Txn['type']): number {
  let n = 0;
  for (const t of txns) if (t.type === type) n++;
  return n;
}

function detectWorkload(txns: Txns): ElleWorkload {
  for (const list of [txns.nodes, txns.failed])
    for (const t of list)
      for (const m of t.mops) {
        if (m[0] === 'append') return 'list-append';
        if (m[0] === 'w') return 'rw-register';
      }
  return 'list-append';
}

/** Records each distinct cycle once, under the class its edges make it. */
class CycleLog {
  private seen = new Set<string>();
  constructor(
    private log: AnomalyLog,
    private nodes: readonly Txn[],
    private deps: DataDependencies,
  ) {}

  add(c: FoundCycle): void {
    // The same cycle may be found from different starting points: compare as a set.
    const sig = `${c.type}:${[...c.nodes].sort((a, b) => a - b).join(',')}`;
    if (this.seen.has(sig)) return;
    this.seen.add(sig);
    // Start at the earliest transaction so T1 is the one that happened first.
    const r = c.nodes.indexOf(Math.min(...c.nodes));
    const rotated = { ...c, nodes: [...c.nodes.slice(r), ...c.nodes.slice(0, r)], kinds: [...c.kinds.slice(r), ...c.kinds.slice(0, r)] };
    this.log.add(c.type, () => explainCycle(rotated, this.nodes, this.deps));
  }
}

/**
 * Exact, linear: for each model (weakest first) that the anomalies found so far
 * do not already rule out, find a cycle it forbids if there is one.
 */
function decideModels(g: Graph, regions: Region[], models: string[], cycles: CycleLog, log: AnomalyLog): void {
  const all = [...impliedModels(models)].sort((a, b) => impliedModels([a]).size - impliedModels([b]).size);
  for (const model of all) {
    const known = ruledOut(log.types().filter((a) => a !== TIMEOUT));
    if (known.not.includes(model) || known.alsoNot.includes(model)) continue;
    const auto = modelAutomaton(model);
    for (const region of regions) {
      const comps = stronglyConnected(g, region, auto);
      if (comps.components.length === 0) continue;
      cycles.add(witnessCycle(g, region, auto, comps.compOf, comps.components[0][0]));
      break;
    }
  }
}

/** Budgeted: a short cycle of every class in every SCC. Returns true when the budget ran out. */
function classifyCycles(
  g: Graph,
  regions: Region[],
  need: { process: boolean; realtime: boolean },
  cycles: CycleLog,
  log: AnomalyLog,
  deadline: number,
): boolean {
  let timedOut = false;
  for (const region of regions) {
    const foundHere = new Set<string>();
    for (const spec of allClassSpecs(need.process, need.realtime)) {
      if (foundHere.has(spec.name)) continue;
      const search = searchClass(g, region, spec, Math.min(deadline, performance.now() + PER_SEARCH_MS));
      for (const c of search.found) {
        foundHere.add(c.type);
        cycles.add(c);
      }
      for (const t of search.timedOut) {
        timedOut = true;
        log.add(TIMEOUT, () => ({
          spec: t.spec,
          sccSize: t.sccSize,
          explanation: `The search for a ${t.spec} cycle in a strongly connected component of ${t.sccSize} transactions ran out of time; such cycles may exist without being listed. Consistency models are still decided exactly.`,
        }));
      }
    }
  }
  return timedOut;
}

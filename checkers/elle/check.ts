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
import { ANOMALY_NAMES, anomaliesPresent, canonicalAnomaly, canonicalModel, edgesNeeded, edgesNeededFor, impliedModels, modelAutomaton, ruledOut } from './models.ts';
import { addProcessEdges, addRealtimeEdges } from './order.ts';
import { analyzeRwRegister, type RwRegisterOptions } from './rw-register.ts';
import { filterAutomaton, regionsOf, stronglyConnected, wholeGraph, type Region } from './scc.ts';
import { collectTxns } from './txns.ts';
import type { ElleDetails, ElleUnknownReason, ElleWorkload, Txn } from './types.ts';
import { chooseWorkload } from './workload.ts';

export interface ElleOptions extends RwRegisterOptions {
  /**
   * Which analysis. Default: read off the micro-ops (an append means
   * list-append, a w rw-register); a history that only reads must name it.
   */
  workload?: ElleWorkload;
  /** Models to check; the result is invalid when any of them is ruled out. Default strict-serializable. */
  consistencyModels?: string[];
  /** Anomalies (Elle's :anomalies, e.g. G1c, G-single, lost-update) that make the result invalid when present, besides the models'. */
  anomalies?: string[];
  /**
   * Time budget for classifying cycles (ms, whole check). Whether each model
   * holds is decided exactly in linear time regardless; running out only
   * means some anomaly classes may be missing from the list
   * (reported as cycle-search-timeout), and a cycle anomaly asked for by name
   * and not found is then unknown.
   */
  cycleSearchTimeoutMs?: number;
}

const DEFAULT_MODELS = ['strict-serializable'];
const DEFAULT_BUDGET_MS = 10_000;
/** No single class search may eat the whole budget. */
const PER_SEARCH_MS = 1_000;
const TIMEOUT = 'cycle-search-timeout';
const EMPTY_GRAPH = 'empty-transaction-graph';
/** Anomaly names that say what could not be checked, not what went wrong (Elle's unknown-anomaly-types). */
const NOT_EVIDENCE = new Set([TIMEOUT, EMPTY_GRAPH]);
/** Anomalies a cycle may show: the classes the (budgeted) cycle search looks for, and what they imply (G1, G2...). */
const SHOWN_BY_CYCLES = new Set(ANOMALY_NAMES.filter((a) => anomaliesPresent(allClassSpecs(true, true).map((s) => s.name), [a]).length));

export function checkElle(history: readonly Op[], opts: ElleOptions = {}): CheckResult {
  const txns = collectTxns(history);
  const models = (opts.consistencyModels?.length ? opts.consistencyModels : DEFAULT_MODELS).map(canonicalModel);
  const asked = [...new Set((opts.anomalies ?? []).map(canonicalAnomaly))];
  // Refused as 'unknown', not as bad input: the linearizability checker also
  // answers a history without ops of its kind with an unknown verdict (exit 2
  // through the CLI, each file on its own), and a test run whose clients never
  // got a transaction through deserves "nothing was checked", not a crash and
  // never a pass.
  if (txns.nodes.length + txns.failed.length === 0) return nothingToCheck(models, asked);
  const { workload, from } = chooseWorkload(opts.workload, txns);
  const need = edgesNeeded(models);
  const askedNeed = edgesNeededFor(asked);
  need.process ||= askedNeed.process;
  need.realtime ||= askedNeed.realtime;
  const log = new AnomalyLog();
  let mops = 0;
  for (const t of txns.nodes) mops += t.mops.length;
  const edges = new EdgeBuilder(2 * mops + (need.process ? txns.nodes.length : 0) + (need.realtime ? 12 * txns.nodes.length : 0) + 1024);
  const deps = workload === 'list-append' ? analyzeListAppend(txns, edges, log) : analyzeRwRegister(txns, edges, log, opts);
  if (need.process) addProcessEdges(txns.nodes, edges);
  if (need.realtime) addRealtimeEdges(txns.nodes, edges);
  const g = edges.build(txns.nodes.length);
  // As in Elle: with no edge at all (no data dependency and no order the
  // models use) nothing was compared with anything, which is no evidence of
  // isolation. Anomalies seen in single transactions still count.
  if (g.targets.length === 0) {
    log.add(EMPTY_GRAPH, () => ({
      explanation: `No dependency between the ${txns.nodes.length} transactions could be inferred (no ww, wr or rw edge${need.realtime ? ', no real-time order' : need.process ? ', no process order' : ''}): there is nothing to check the consistency models against.`,
    }));
  }

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
  const evidence = anomalyTypes.filter((a) => !NOT_EVIDENCE.has(a));
  const { not, alsoNot } = ruledOut(evidence);
  const impossible = new Set([...not, ...alsoNot]);
  const violated = models.filter((m) => impossible.has(m));
  const anomaliesFound = anomaliesPresent(evidence, asked);
  const unknownReasons: ElleUnknownReason[] = [];
  if (g.targets.length === 0) unknownReasons.push(EMPTY_GRAPH);
  // Models are decided exactly; an asked-for cycle class is only known absent if its search finished.
  if (timedOut && asked.some((a) => SHOWN_BY_CYCLES.has(a) && !anomaliesFound.includes(a))) unknownReasons.push(TIMEOUT);
  const valid = violated.length || anomaliesFound.length ? false : unknownReasons.length ? 'unknown' : true;
  const details: ElleDetails = {
    workload,
    workloadFrom: from,
    consistencyModels: models,
    anomaliesAsked: asked,
    anomaliesFound,
    ...(valid === 'unknown' ? { unknownReasons } : {}),
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
  return { checker: 'elle', valid, summary: summarize(valid, details, violated), details };
}

/** One line: the workload, then why invalid, why unknown, or what was checked. */
function summarize(valid: CheckResult['valid'], d: ElleDetails, violated: string[]): string {
  const workload = `${d.workload}${d.workloadFrom === 'micro-ops' ? ' (from the micro-ops)' : ''}`;
  const text = (types: string[]) => types.map((a) => `${a} (${d.anomalyCounts[a]})`).join(', ');
  const checked = [...d.consistencyModels, ...d.anomaliesAsked.map((a) => `no ${a}`)].join(', ');
  if (valid === false) {
    const broken = [...violated.map((m) => `not ${m}`), ...d.anomaliesFound.map((a) => `${a} present`)].join(', ');
    return `${workload}: ${broken}: ${text(d.anomalyTypes)}`;
  }
  const evidence = d.anomalyTypes.filter((a) => !NOT_EVIDENCE.has(a));
  if (valid === 'unknown') {
    const why = d.unknownReasons!.map((r) =>
      r === EMPTY_GRAPH
        ? `no dependency between its ${d.stats.txns} transactions could be inferred`
        : `the cycle search ran out of time before ruling out ${d.anomaliesAsked.filter((a) => !d.anomaliesFound.includes(a)).join(', ')}`,
    );
    return `${workload}: unknown: ${why.join('; ')}${evidence.length ? ` (anomalies ${text(evidence)}, none forbidden)` : ''}; checked for ${checked}`;
  }
  return `${workload}: ${d.stats.txns} transactions, ${d.anomalyTypes.length ? `anomalies ${text(d.anomalyTypes)}, none` : 'no anomaly'} forbidden by ${checked}`;
}

/** A history without transactions (no op with f 'txn'): nothing was checked, which is no pass. */
function nothingToCheck(models: string[], asked: string[]): CheckResult {
  const details: ElleDetails = {
    workload: null,
    workloadFrom: null,
    consistencyModels: models,
    anomaliesAsked: asked,
    anomaliesFound: [],
    unknownReasons: ['no-transactions'],
    anomalyTypes: [],
    anomalies: {},
    anomalyCounts: {},
    not: [],
    alsoNot: [],
    stats: { txns: 0, ok: 0, info: 0, fail: 0, edges: 0, sccs: 0, largestScc: 0, cycleSearchMs: 0, timedOut: false },
  };
  return { checker: 'elle', valid: 'unknown', summary: "unknown: no transactions to check (no op with f 'txn')", details };
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

// The shim's logic, one per node container: it runs the user's Maelstrom node
// as its child and is the node's network. The child's stdout messages go to
// other nodes' shims (as UDP datagrams, shim-main.ts), to the controller's
// pending requests, or back into its own stdin; client requests come in over
// HTTP (POST /start, POST /rpc, GET /health: shim-main.ts) and are answered
// with the reply whose in_reply_to matches. Node built-ins only (bundled).
//
// Answers are { status, body }: 200 with the result; 400 a bad request; 409
// a start while the node runs; 502 the node failed (exited, wrote garbage,
// refused init) and a request sent to it may or may not have been handled;
// 503 the request was not given to the node at all (not running, not
// initialized, input backed up); 504 no reply in time.
import { createWriteStream, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { NodeChild } from './child.ts';
import { MAELSTROM_ERROR } from './errors.ts';
import { clientId, explainGarbage, INIT_CLIENT, parseMessage, routeOf, type MaelstromBody, type MaelstromMessage } from './protocol.ts';

export interface Peer {
  node: string;
  host: string;
  port: number;
}

export interface ShimConfig {
  /** This node's id (n1). */
  node: string;
  /** Every node's shim, own included, in node id order (client ids are spread by this order). */
  peers: readonly Peer[];
  /** Folder of the pid and log files (/faultline in a node). */
  dir: string;
  /** Name of the node's pid and log files: <dir>/<process>.pid, .log. */
  process: string;
  /** The shim's own log. */
  log(line: string): void;
  /** Send one datagram to a peer's shim. */
  send(text: string, peer: Peer): void;
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export interface StartRequest {
  argv: string[];
  /** KEY=VALUE, added to the image's environment. */
  env: string[];
  nodeIds: string[];
  initTimeoutMs: number;
}

interface Pending {
  msgId: number;
  done(answer: Answer): void;
}

/** Counted events, in /health; the first few of each are also logged. */
type Counter = 'garbage' | 'droppedDead' | 'droppedUninitialized' | 'droppedBacklog' | 'sentPeer' | 'receivedPeer' | 'lateReplies' | 'unroutable' | 'serviceCalls';
const LOGGED_PER_COUNTER = 10;
/** How long a start waits for a node that is still running to finish dying. */
const EXIT_GRACE_MS = 1000;
/** init is the first message a node reads, from its own client c0: msg_id 1, as Maelstrom sends it. */
const INIT_MSG_ID = 1;

export class Shim {
  private child?: NodeChild;
  /** Bumped per start, so hooks of an earlier child are ignored. */
  private generation = 0;
  private initialized = false;
  private initWait?: { msgId: number; settle(error?: string): void };
  /** Requests sent to the node, by the client id that sent them (one request per client id at a time). */
  private pending = new Map<string, Pending>();
  private freeClients: string[] = [];
  private clientRounds = 0;
  private nextMsgId = INIT_MSG_ID + 1;
  private lastError?: string;
  private lastExit?: string;
  private counters = new Map<Counter, number>();
  private readonly nodeLog: WriteStream;
  private readonly position: number;

  constructor(private readonly config: ShimConfig) {
    this.position = config.peers.findIndex((p) => p.node === config.node);
    if (this.position < 0) throw new Error(`--node ${config.node} is not among --peers ${config.peers.map((p) => p.node).join(',')}`);
    this.nodeLog = createWriteStream(join(config.dir, `${config.process}.log`), { flags: 'a' });
  }

  private get nodeIds(): string[] {
    return this.config.peers.map((p) => p.node);
  }

  /** (Re)start the node and hand it init; answers once it said init_ok, or why it did not. */
  async start(req: StartRequest): Promise<Answer> {
    // A start right after a kill -9 may come before the exit is seen: give the dying process a moment.
    if (this.child?.running) await this.child.waitExit(EXIT_GRACE_MS);
    if (this.child?.running) {
      // A second child would take over the pid file while the first still runs; faultline restarts only dead nodes.
      return { status: 409, body: { error: `node ${this.config.node} is already running (pid ${this.child.pid}); faultline starts a node again only after it died` } };
    }
    const bad = requestProblem(req, this.nodeIds);
    if (bad) return { status: 400, body: { error: bad } };
    const generation = ++this.generation;
    this.initialized = false;
    let child: NodeChild;
    try {
      child = await NodeChild.start(req.argv, envRecord(req.env), {
        line: (l) => generation === this.generation && this.onLine(l),
        exit: (how) => generation === this.generation && this.onExit(how),
        stderr: (chunk) => this.nodeLog.write(chunk),
      });
    } catch (err) {
      this.lastError = (err as Error).message;
      return { status: 502, body: { error: this.lastError } };
    }
    this.child = child;
    writePidFile(join(this.config.dir, `${this.config.process}.pid`), child.pid);
    this.mark(`started pid ${child.pid}: ${req.argv.join(' ')}`);
    const started = Date.now();
    const failure = await this.init(req.nodeIds, req.initTimeoutMs);
    if (failure !== undefined) {
      child.kill(); // half-started: not running is the honest state
      this.lastError = failure;
      this.mark(`init failed: ${failure}`);
      return { status: 502, body: { error: failure } };
    }
    this.initialized = true;
    this.mark(`pid ${child.pid} answered init in ${Date.now() - started} ms`);
    return { status: 200, body: { pid: child.pid, initMs: Date.now() - started } };
  }

  /** Send init and wait for init_ok; the failure's explanation, or undefined when it came. */
  private init(nodeIds: string[], timeoutMs: number): Promise<string | undefined> {
    const msgId = INIT_MSG_ID;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(`node ${this.config.node} did not answer init within ${timeoutMs / 1000} s${this.stderrNote()} (it must reply {"type":"init_ok","in_reply_to":${msgId}} to the init message it reads on stdin)`), timeoutMs);
      const settle = (error?: string) => {
        clearTimeout(timer);
        this.initWait = undefined;
        resolve(error);
      };
      this.initWait = { msgId, settle };
      const init: MaelstromMessage = { src: INIT_CLIENT, dest: this.config.node, body: { type: 'init', msg_id: msgId, node_id: this.config.node, node_ids: nodeIds } };
      this.child!.write(JSON.stringify(init));
    });
  }

  /** A client request: written to the node as from one of this shim's client ids, answered with its reply body. */
  rpc(req: { body: unknown; timeoutMs: number }): Promise<Answer> | Answer {
    const body = req.body as MaelstromBody;
    if (typeof body !== 'object' || body === null || typeof body.type !== 'string') return { status: 400, body: { error: 'body must be a Maelstrom message body with a string "type"' } };
    if (!(Number.isFinite(req.timeoutMs) && req.timeoutMs > 0)) return { status: 400, body: { error: 'timeoutMs must be a positive number' } };
    const child = this.child;
    if (!child?.running) return { status: 503, body: { error: `node ${this.config.node} is not running${this.lastExit ? ` (it ${this.lastExit})` : ''}` } };
    if (!this.initialized) return { status: 503, body: { error: `node ${this.config.node} has not answered init` } };
    const client = this.takeClient();
    const msgId = this.nextMsgId++;
    const message: MaelstromMessage = { src: client, dest: this.config.node, body: { ...body, msg_id: msgId } };
    if (!child.write(JSON.stringify(message))) {
      this.freeClients.push(client);
      this.count('droppedBacklog', 'a client request: the node reads no input (paused?)');
      return { status: 503, body: { error: `node ${this.config.node} is not reading its input (paused?): request not delivered` } };
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(client); // retired: a late reply to it must not answer a later request
        resolve({ status: 504, body: { error: `no reply from node ${this.config.node} within ${req.timeoutMs} ms${this.garbageNote()}` } });
      }, req.timeoutMs);
      this.pending.set(client, {
        msgId,
        done: (answer) => {
          clearTimeout(timer);
          this.pending.delete(client);
          if (answer.status === 200) this.freeClients.push(client);
          resolve(answer);
        },
      });
    });
  }

  health(): Record<string, unknown> {
    return {
      node: this.config.node,
      process: this.config.process,
      pid: this.child?.running ? this.child.pid : null,
      initialized: this.initialized && !!this.child?.running,
      pending: this.pending.size,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.lastExit ? { lastExit: this.lastExit } : {}),
      counters: Object.fromEntries(this.counters),
    };
  }

  /** A datagram from another node's shim: a message for this node, or a reply for one of this shim's clients. */
  datagram(text: string): void {
    const parsed = parseMessage(text);
    if ('problem' in parsed) return this.count('unroutable', `a datagram that is not a Maelstrom message (${parsed.problem})`);
    this.count('receivedPeer');
    const route = routeOf(parsed.message.dest, this.config.node, this.nodeIds);
    if (route.to === 'self') this.deliver(text);
    else if (route.to === 'client' && route.owner === this.config.node) this.reply(parsed.message);
    else this.count('unroutable', `a datagram for ${parsed.message.dest}, not for this node`);
  }

  /** Kill the node (the shim is stopping). */
  stop(): void {
    this.child?.kill();
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    const parsed = parseMessage(line);
    if ('problem' in parsed) return this.onGarbage(line, parsed.problem);
    const msg = parsed.message;
    const route = routeOf(msg.dest, this.config.node, this.nodeIds);
    switch (route.to) {
      case 'self':
        return this.deliver(line);
      case 'peer':
        this.count('sentPeer');
        return this.config.send(line, this.peer(route.node));
      case 'init':
        return this.onInitReply(msg.body);
      case 'client':
        if (route.owner === this.config.node) return this.reply(msg);
        return this.config.send(line, this.peer(route.owner));
      case 'service':
        // faultline runs no lin-kv/seq-kv/lww-kv/lin-tso: say so to the node, as Maelstrom answers an unsupported request.
        this.count('serviceCalls', `a request to Maelstrom's ${route.service} service, which faultline does not provide`);
        if (msg.body.msg_id === undefined) return;
        return this.deliver(JSON.stringify({ src: msg.dest, dest: this.config.node, body: { type: 'error', in_reply_to: msg.body.msg_id, code: MAELSTROM_ERROR.notSupported, text: `faultline provides no ${route.service} service: the node must keep its state itself` } }));
      case 'nowhere':
        this.lastError = `node ${this.config.node} sent a message to ${JSON.stringify(msg.dest)}, which is neither a node (${this.nodeIds.join(', ')}) nor a client`;
        return this.count('unroutable', this.lastError);
    }
  }

  private onInitReply(body: MaelstromBody): void {
    const wait = this.initWait;
    if (!wait || body.in_reply_to !== wait.msgId) return this.count('lateReplies');
    if (body.type === 'init_ok') return wait.settle();
    const detail = body.type === 'error' ? ` error ${JSON.stringify(body.code)} ${JSON.stringify(body.text ?? '')}` : ` a ${JSON.stringify(body.type)} message`;
    wait.settle(`node ${this.config.node} answered init with${detail}; it must answer {"type":"init_ok"}`);
  }

  private onGarbage(line: string, problem: string): void {
    const explanation = explainGarbage(this.config.node, line, problem);
    this.lastError = explanation;
    this.count('garbage', explanation);
    if (this.initWait) return this.initWait.settle(explanation);
    // The node is broken: requests it holds will not be answered in a way we can read.
    this.failPending(explanation);
  }

  private onExit(how: string): void {
    this.initialized = false;
    this.lastExit = how;
    this.mark(`pid ${this.child?.pid} ${how}`);
    if (this.initWait) return this.initWait.settle(`node ${this.config.node} ${how} before it answered init${this.stderrNote()}`);
    this.failPending(`node ${this.config.node} ${how} before it answered`);
  }

  /** Answer every open request with 502: given to the node, fate unknown. */
  private failPending(error: string): void {
    for (const p of [...this.pending.values()]) p.done({ status: 502, body: { error } });
  }

  private reply(msg: MaelstromMessage): void {
    const p = this.pending.get(msg.dest);
    if (!p || p.msgId !== msg.body.in_reply_to) return this.count('lateReplies');
    p.done({ status: 200, body: { body: msg.body } });
  }

  /** A message for this node: to its stdin when it runs and knows who it is; dropped otherwise, like a packet to a dead host. */
  private deliver(line: string): void {
    if (!this.child?.running) return this.count('droppedDead');
    if (!this.initialized) return this.count('droppedUninitialized');
    if (!this.child.write(line)) this.count('droppedBacklog', 'a message: the node reads no input (paused?) and its backlog is full');
  }

  private takeClient(): string {
    return this.freeClients.pop() ?? clientId(this.position, this.config.peers.length, this.clientRounds++);
  }

  private peer(node: string): Peer {
    return this.config.peers.find((p) => p.node === node)!;
  }

  private stderrNote(): string {
    const tail = this.child?.stderrTail();
    return tail ? `; its stderr ended with:\n${tail}` : '; it wrote nothing to stderr';
  }

  private garbageNote(): string {
    return this.counters.get('garbage') ? ` (it wrote ${this.counters.get('garbage')} line(s) that are not Maelstrom messages; the last: ${this.lastError})` : '';
  }

  /** A line in the node's log, where its stderr goes, so restarts and exits show between its own lines. */
  private mark(text: string): void {
    this.nodeLog.write(`[faultline-shim ${new Date().toISOString()}] ${text}\n`);
    this.config.log(text);
  }

  private count(counter: Counter, what?: string): void {
    const n = (this.counters.get(counter) ?? 0) + 1;
    this.counters.set(counter, n);
    if (what && (n <= LOGGED_PER_COUNTER || n % 1000 === 0)) this.config.log(`${counter} #${n}: ${what}`);
  }
}

/** What is wrong with a start request, if anything. */
function requestProblem(req: StartRequest, known: readonly string[]): string | undefined {
  if (!Array.isArray(req.argv) || req.argv.length === 0 || !req.argv.every((a) => typeof a === 'string')) return 'argv must be a non-empty list of strings';
  if (!Array.isArray(req.env) || !req.env.every((e) => typeof e === 'string' && e.includes('='))) return 'env must be a list of KEY=VALUE strings';
  if (!Array.isArray(req.nodeIds) || req.nodeIds.some((n) => !known.includes(n))) return `nodeIds must be among the shim's peers (${known.join(', ')})`;
  if (!(Number.isFinite(req.initTimeoutMs) && req.initTimeoutMs > 0)) return 'initTimeoutMs must be a positive number';
  return undefined;
}

function envRecord(env: readonly string[]): Record<string, string> {
  return Object.fromEntries(env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/** Written whole (rename), so a nemesis never reads half a pid. */
function writePidFile(file: string, pid: number): void {
  writeFileSync(`${file}.tmp`, `${pid}\n`);
  renameSync(`${file}.tmp`, file);
}


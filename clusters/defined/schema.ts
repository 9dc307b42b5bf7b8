// The system definition file: everything faultline needs to test a user's
// replicated store without TypeScript (issue "Bring your own system"). One
// schema serves three purposes: it validates a file (zod, with messages that
// name the field), it is the TypeScript type the rest of the code reads, and
// it is published as JSON Schema (schema/system.schema.json) for editors.
//
// Strings in node.command, node.env, node.peer, ready.command and the HTTP
// paths may hold placeholders, expanded per node (placeholders.ts):
//   {name} node name (n1)    {id} its number, from 1    {ip} its address
//   {peers} every node written as node.peer, joined by node.peerSeparator
//   {dataDir} node.dataDir   {nodes} how many nodes   {port:NAME} ports.NAME
//   {{ and }} a literal brace.
import { z } from 'zod';
import { placeholdersIn } from './placeholders.ts';

/** Workloads a definition may claim; which ones a protocol can serve is checked after parsing (definition.ts). */
export const DEFINED_WORKLOADS = ['register', 'set', 'bank', 'counter', 'append', 'wr-register', 'lock', 'watch'] as const;

/** Ports faultline's Maelstrom shim takes in every node's container; a definition may not use them. */
export const SHIM_PORTS = { client: 7070, peer: 7071 } as const;

const nodePath = z.string().regex(/^\//, 'an absolute path inside the node (starting with /)');
const hostPath = z.string().min(1, 'a path on this machine (absolute, or relative to the definition file)');
/** A port by its name in `ports`, or a number. */
const portRef = z.union([z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a name from `ports`'), z.int().min(1).max(65535)]);
/** A field of a JSON answer: dot-separated keys and array indices, e.g. "kvs.0.value"; "" is the whole answer. */
const jsonField = z.string().regex(/^$|^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'a dot-separated path into the JSON answer, e.g. "kvs.0.value"');

const imageFile = z.union([
  hostPath,
  z.strictObject({
    from: hostPath.describe('Path on this machine; a relative path is taken from the definition file.'),
    to: nodePath.optional().describe('Path inside the node; defaults to `from` (made absolute).'),
    libraries: z.boolean().optional().describe('Copy the shared libraries it links against (default: true for ELF files).'),
  }),
]);

const imageDir = z.union([
  hostPath,
  z.strictObject({
    from: hostPath,
    to: nodePath.optional(),
    exclude: z.array(z.string()).optional().describe('Names of files or folders below it to leave out, e.g. ["test", "__pycache__"].'),
  }),
]);

/** A build step for the system (clusters/defined/prepare.ts runs it before the image is built). */
const prepareCommand = z
  .array(z.string())
  .min(1, 'program and arguments')
  .optional()
  .describe('A command run on this machine in the definition file\'s folder before the image is built, to compile or bundle your system: program and arguments, no shell (["go", "build", "-o", "kvd", "."]; ["sh", "-c", "make && strip kvd"]). It runs before every test, and the files it makes may be listed in `files` and `dirs`; a failure stops the test.');

export const imageSchema = z.union([
  z.strictObject({
    tag: z.string().min(1).describe('A local Docker image (nothing is pulled: build it first). faultline adds nothing to it, so it must hold /bin/sh.'),
  }),
  z.strictObject({
    prepare: prepareCommand,
    files: z.array(imageFile).default([]).describe('Host files copied into the node image, ELF executables with their shared-library closure (ldd).'),
    dirs: z.array(imageDir).default([]).describe('Host folders copied whole (an interpreter\'s standard library, your program\'s folder).'),
    env: z.record(z.string(), z.string()).optional().describe('Environment baked into the image.'),
  }),
]);

export const nodeSchema = z.strictObject({
  command: z.array(z.string()).min(1, 'the command that starts one node: program and arguments').describe('The command that starts one node: program and arguments, with placeholders. It must run in the foreground (exec your server: faultline kills and pauses this process).'),
  env: z.record(z.string(), z.string()).default({}).describe('Environment of the node process, with placeholders.'),
  dataDir: nodePath.default('/data').describe('Folder holding the node\'s durable state: created before the first start, emptied by wipes.'),
  peer: z.string().default('{name}').describe('How one node is written in {peers}, e.g. "{name}=http://{ip}:{port:peer}".'),
  peerSeparator: z.string().default(',').describe('What joins the nodes in {peers}.'),
  clock: z.enum(['none', 'libfaketime', 'libfaketime-monotonic']).default('none').describe('"libfaketime": the node runs under libfaketime, so clock faults reach it (programs that read time through libc: C, Python, Java, Node; not Go); only the wall clock is faked. "libfaketime-monotonic": the monotonic clock too, for programs that time their timeouts with it (a JVM\'s System.nanoTime; a JVM with only the wall clock faked also runs about ten times slower under libfaketime). Not for runtimes that abort when the monotonic clock goes back (Node).'),
  logs: z.array(nodePath).default([]).describe('Files the node writes besides its stdout/stderr, collected into the run folder.'),
  dataFiles: z
    .record(
      z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'a class name in lower case, e.g. "wal" or "snapshot"'),
      // Expanded by the node's shell (`for f in GLOB`): plain path characters and glob wildcards only, nothing it would run.
      z.string().regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._\-/*?[\]]+$/, 'a glob relative to dataDir, of letters, digits, . _ - / and the wildcards * ? [ ] (no "..")'),
    )
    .optional()
    .describe('The node\'s durable files by class, for --nemesis corrupt: a class name and a glob relative to dataDir ({"wal": "wal/*.log", "snapshot": "snap/*.snap"}). A fault picks a class that has files and damages its last match in glob order (name your files so that is the newest). Without it, corrupt is refused for the system.'),
});

const httpProbe = {
  port: portRef.describe('The port to ask: a name in `ports`, or a number.'),
  path: z.string().regex(/^\//, 'an HTTP path starting with /').describe('The HTTP path to ask, starting with / (placeholders allowed).'),
  method: z.enum(['GET', 'POST', 'PUT']).default('GET'),
  body: z.unknown().optional().describe('JSON body sent with POST or PUT.'),
};

export const readySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('tcp'), port: portRef }),
  z.strictObject({ kind: z.literal('http'), ...httpProbe, status: z.int().min(100).max(599).optional().describe('Expected status (default: any 2xx).') }),
  z.strictObject({ kind: z.literal('command'), command: z.array(z.string()).min(1).describe('Run inside the node; exit status 0 means ready.') }),
]);

export const leaderSchema = z.strictObject({
  http: z.strictObject(httpProbe),
  field: jsonField.describe('Field of the answer to look at.'),
  equals: z.unknown().optional().describe('When given: this node leads when the field equals it (e.g. "leader" for a role field).'),
  equalsField: jsonField.optional().describe('When given: this node leads when `field` equals this other field of the same answer (etcd: "leader" = "header.member_id").'),
}).describe('How to ask a node who leads. Without equals/equalsField the field holds the leader\'s node name.');

export const stateHashSchema = z.strictObject({
  http: z.strictObject(httpProbe),
  hash: jsonField.describe('Field holding the node\'s hash of its replicated state.'),
  index: jsonField.optional().describe('Field holding the log index or revision the hash was taken at; nodes are compared at equal indices.'),
});

// ---- http-kv: a JSON-over-HTTP key-value API (workloads/http-kv) ----------

/** An HTTP status code. */
const httpStatus = z.int().min(100).max(599);

/** A condition on an HTTP answer: all given parts must hold. */
const answerMatch = z
  .strictObject({
    status: z.union([httpStatus, z.array(httpStatus).min(1)]).optional().describe('The answer\'s HTTP status, or one of several: 404, [502, 503].'),
    field: jsonField.optional().describe('A field of the JSON answer. With `equals` it must equal that; alone it must be present and not null.'),
    equals: z.unknown().optional().describe('The value `field` (or, without `field`, the whole answer) must equal: JSON equality, so 1 is not "1"; a field that is absent equals null.'),
    text: z.string().min(1).optional().describe('Text the answer\'s body contains; works for answers that are not JSON too.'),
  })
  .refine((m) => m.status !== undefined || m.field !== undefined || m.equals !== undefined || m.text !== undefined, 'give at least one of status, field, equals, text')
  .describe('A condition on an answer; every part given must hold. A `field` condition never holds for an answer that is not JSON.');

/** The op placeholders of http-kv requests ({{ and }} are literal braces, as in placeholders.ts). */
const HTTP_KV_PLACEHOLDERS = { read: ['key'], write: ['key', 'value'], cas: ['key', 'from', 'to'] } as const;

/** Every string in a JSON template, object keys included. */
function templateStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(templateStrings);
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...templateStrings(x)]);
  return [];
}

const requestFields = {
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST').describe('HTTP method; a GET has no body.'),
  path: z.string().regex(/^\//, 'an HTTP path starting with /').describe('Path and query, with placeholders substituted URL-encoded: {key}; writes also {value}; cas {from} and {to}. E.g. "/v1/kv/{key}?cas={from}". Keys are the workload\'s (0, 1, 2 ...): write any prefix your store wants into the template ("/kv/jepsen-{key}").'),
  body: z.unknown().optional().describe('JSON body. A string that is exactly "{value}", "{from}" or "{to}" becomes that value (a JSON number, or a string with valueType "string"), exactly "{key}" the key as a string; inside longer strings (object keys too) placeholders are substituted as text: "app/{key}".'),
};

/** Checks of a request template for op `f`: a GET has no body, and only f's placeholders appear. */
const checkRequest = (f: keyof typeof HTTP_KV_PLACEHOLDERS) => (r: { method: string; path: string; body?: unknown }, ctx: z.RefinementCtx): void => {
  if (r.method === 'GET' && r.body !== undefined) ctx.addIssue({ code: 'custom', path: ['body'], message: 'a GET request has no body: drop `body` or use POST' });
  const allowed: readonly string[] = HTTP_KV_PLACEHOLDERS[f];
  for (const [where, strings] of [['path', [r.path]], ['body', templateStrings(r.body)]] as const) {
    for (const name of strings.flatMap(placeholdersIn)) {
      if (!allowed.includes(name)) ctx.addIssue({ code: 'custom', path: [where], message: `{${name}} is not a ${f} placeholder; ${f} has ${allowed.map((p) => `{${p}}`).join(' ')} (write {{ and }} for literal braces)` });
    }
  }
};

export const httpKvSchema = z
  .strictObject({
    protocol: z.literal('http-kv'),
    port: portRef.describe('Port of the key-value API on every node, by name in `ports` or a number; requests go to http://<node ip>:<port>.'),
    headers: z.record(z.string(), z.string()).default({}).describe('Headers sent with every request, e.g. {"Authorization": "Bearer test"}; requests with a body get content-type: application/json unless these name another.'),
    valueType: z.enum(['number', 'string']).default('number').describe('How written values travel in a body: "number" (the register workload\'s integers as JSON numbers) or "string" (as their decimal text, for stores that hold strings). Reads accept both.'),
    read: z.strictObject({
      ...requestFields,
      value: jsonField.describe('Field of a successful answer holding the value; "" is the whole answer. null reads as "never written"; an answer without the field is a failed read.'),
      notFound: answerMatch.optional().describe('How the answer for a key never written looks, e.g. {"status": 404}; it reads as null.'),
    })
      .superRefine(checkRequest('read'))
      .describe('How to read one key.'),
    write: z.strictObject(requestFields).superRefine(checkRequest('write')).describe('How to write one key (a blind put).'),
    cas: z
      .strictObject({
        ...requestFields,
        mismatch: answerMatch.describe('How a compare-and-set whose expected value did not match looks: a definite failure, nothing written.'),
      })
      .superRefine(checkRequest('cas'))
      .optional()
      .describe('How to compare-and-set one key from {from} to {to}; the register workload needs it.'),
    redirect: z
      .strictObject({
        when: answerMatch.describe('How the answer looks. It must mean the node did not take the op: the client sends it again elsewhere.'),
        leader: jsonField.optional().describe('Field naming the node to retry at: a node name (n1, as {name}), its number (1, as {id}), or an address holding its IP ("10.1.2.3:8080", a URL). Empty or null: no leader yet, retry after a pause. Without `leader`: try the next node.'),
      })
      .optional()
      .describe('How a node says "ask the leader instead". Followed at most 8 hops per op, within the op timeout. HTTP redirects (a 3xx whose Location names a node\'s address) are always followed the same way.'),
    fail: z.array(answerMatch).default([]).describe('Answers that mean the operation certainly did not happen (e.g. {"status": 400}).'),
    info: z.array(answerMatch).default([]).describe('Answers that mean it may or may not have happened. Checked before `fail`. Besides these: a timeout or an unmatched non-2xx answer leaves a write or cas unknown, a read failed.'),
  })
  .describe('A JSON-over-HTTP key-value API (workload register): each answer is, in this order, a redirect, a cas mismatch or read of a missing key, an `info`, a `fail`, and otherwise ok when 2xx.');

export const maelstromSchema = z.strictObject({
  protocol: z.literal('maelstrom'),
  // Maelstrom's own names for the workload the node was written for.
  serves: z.array(z.enum(['lin-kv', 'txn-list-append'])).default(['lin-kv']).describe('Which Maelstrom workloads the node answers: lin-kv (read/write/cas; faultline\'s register) and txn-list-append (txn; faultline\'s append).'),
  initTimeoutS: z.number().positive().default(10).describe('How long a started node may take to answer init.'),
});

export const etcdV3Schema = z.strictObject({
  protocol: z.literal('etcd-v3'),
  port: portRef.describe('Port of the etcd v3 HTTP/JSON gateway.'),
});

export const zookeeperSchema = z.strictObject({
  protocol: z.literal('zookeeper'),
  port: portRef.describe('ZooKeeper\'s client port (its binary protocol, spoken by node-zookeeper-client).'),
  sessionTimeoutMs: z.int().positive().default(2000).describe('Session timeout each client asks for, ms (the server clamps it to 2..20 ticks): a lock holder paused longer loses its session and its lock.'),
  prefix: z.string().regex(/^(\/[A-Za-z0-9_.-]+)+$/, 'an absolute znode path, e.g. "/faultline"').default('/faultline').describe('The znode under which the workloads keep their znodes.'),
});

export const clientSchema = z.discriminatedUnion('protocol', [maelstromSchema, httpKvSchema, etcdV3Schema, zookeeperSchema]);

export const systemDefinitionSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'a short name: lower-case letter, then lower-case letters, digits or -').describe('Names the runs, the images and the node process.'),
  describe: z.string().optional(),
  image: imageSchema.describe('What the node image holds: host files and folders (faultline adds its tools), or a local image by tag.'),
  ports: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/), z.int().min(1).max(65535)).default({}).describe('Named ports every node listens on, e.g. {"client": 2379, "peer": 2380}.'),
  node: nodeSchema.describe('How one node runs: its command, environment, data folder and clock.'),
  ready: readySchema.optional().describe('How to tell a node is ready. Maelstrom nodes are ready when they answer init.'),
  readyTimeoutS: z.number().positive().default(30),
  leader: leaderSchema.optional(),
  client: clientSchema.describe('How faultline\'s clients talk to a node: the protocol (maelstrom, http-kv, etcd-v3 or zookeeper) and its settings.'),
  workloads: z.array(z.enum(DEFINED_WORKLOADS)).min(1).describe('Workloads to run against it; each must be one its client protocol serves.'),
  stateHash: stateHashSchema.optional().describe('How a node reports a hash of its replicated state, for the divergence check.'),
});

/** True when the node runs under libfaketime (node.clock names it). */
export const underLibfaketime = (node: { clock: string }): boolean => node.clock.startsWith('libfaketime');

/** A definition as written (defaults not yet applied). */
export type SystemDefinitionInput = z.input<typeof systemDefinitionSchema>;
/** A validated definition, defaults applied. */
export type SystemDefinition = z.output<typeof systemDefinitionSchema>;
export type ClientProtocol = SystemDefinition['client'];
export type HttpKvProtocol = z.output<typeof httpKvSchema>;
export type MaelstromProtocol = z.output<typeof maelstromSchema>;
export type ZookeeperProtocol = z.output<typeof zookeeperSchema>;
export type ReadyProbe = z.output<typeof readySchema>;
export type LeaderProbe = z.output<typeof leaderSchema>;
export type StateHashProbe = z.output<typeof stateHashSchema>;
export type AnswerMatch = z.output<typeof answerMatch>;
export type PortRef = z.output<typeof portRef>;

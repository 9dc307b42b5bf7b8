// `faultline system check FILE`: is this definition right, and does one node
// of it come up? It validates the file, builds (or finds) the node image,
// starts the node in a container, waits for readiness, asks the leader and
// state probes and the client port, then tears everything down. Exit 0 when
// all of that works, 2 with what failed (and the node's log tail) otherwise.
// `faultline system schema`: the definition's JSON Schema, for editors.
import chalk from 'chalk';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defineCommand } from './define.ts';
import { UserError, errorText } from '../../history/index.ts';
import {
  buildImage,
  clientPort,
  definedDb,
  definedImageTag,
  docker,
  ensureEnvironment,
  fieldOf,
  httpJson,
  loadDefinition,
  makeRunId,
  startCluster,
  systemJsonSchemaText,
  tcpConnect,
  type DockerCluster,
  type LoadedDefinition,
} from '../../clusters/index.ts';
import { checkOutputFile } from '../output-paths.ts';
import { terminalSafe } from '../terminal.ts';

const say = (line: string) => console.log(terminalSafe(line));
const ok = (what: string, detail: string) => say(`${chalk.green('ok')}    ${what}: ${detail}`);
const note = (what: string, detail: string) => say(`${chalk.yellow('note')}  ${what}: ${detail}`);

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The node image: the local one a definition names, or the one built from its files. */
async function nodeImage(loaded: LoadedDefinition): Promise<string> {
  const tag = definedImageTag(loaded);
  if (tag !== undefined) {
    const found = await docker().getImage(tag).inspect().catch(() => undefined);
    if (!found) throw new UserError(`image.tag ${tag}: no such image in the local Docker engine (faultline pulls nothing: build or load it first)`);
    ok('image', `${tag} (local, ${mb(found.Size)}; used as it is, so partitions need iptables and bash in it, clock faults libfaketime)`);
    return tag;
  }
  const built = await buildImage(definedDb(loaded).image());
  const size = (await docker().getImage(built.tag).inspect()).Size;
  ok('image', `${built.tag} ${built.cached ? 'reused' : `built in ${(built.ms / 1000).toFixed(1)} s`}, ${mb(size)}`);
  return built.tag;
}

/** What the probes and the client port say on a node that came up. */
async function probeNode(loaded: LoadedDefinition, c: DockerCluster, node: string): Promise<void> {
  const { def } = loaded;
  const db = definedDb(loaded);
  if (def.leader) {
    const answer = await httpJson(def, c, node, def.leader.http).catch((e: Error) => e);
    if (answer instanceof Error) throw new UserError(`leader probe on ${node}: ${answer.message}`);
    const leader = await db.leader(c);
    const seen = `${def.leader.field} = ${JSON.stringify(fieldOf(answer, def.leader.field))}${def.leader.equalsField ? `, ${def.leader.equalsField} = ${JSON.stringify(fieldOf(answer, def.leader.equalsField))}` : ''}`;
    if (leader === undefined) throw new UserError(`leader probe on ${node}: ${seen}, which names no leader (a single node should lead itself)`);
    ok('leader', `${leader} (${seen})`);
  } else note('leader', 'no leader probe: faults aimed at the leader (kill-leader, partition-leader, ...) are left out');
  if (def.stateHash) {
    const answer = await httpJson(def, c, node, def.stateHash.http).catch((e: Error) => e);
    if (answer instanceof Error) throw new UserError(`stateHash probe on ${node}: ${answer.message}`);
    const hash = fieldOf(answer, def.stateHash.hash);
    if (hash === undefined || hash === null) throw new UserError(`stateHash probe on ${node}: no field ${def.stateHash.hash} in ${JSON.stringify(answer).slice(0, 160)}`);
    const index = def.stateHash.index === undefined ? undefined : fieldOf(answer, def.stateHash.index);
    ok('state hash', `${JSON.stringify(hash)}${index === undefined ? '' : ` at index ${JSON.stringify(index)}`}`);
  } else if (def.client.protocol === 'zookeeper') note('state hash', 'no stateHash probe: runs compare the members\' znode trees (zookeeper protocol)');
  else note('state hash', 'no stateHash probe: runs skip the divergence check');
  const url = db.clientUrl(c, node);
  await tcpConnect(c.node(node).ip, clientPort(def)).catch((e: Error) => {
    throw new UserError(`client protocol ${def.client.protocol}: nothing accepts connections at ${url}: ${e.message}`);
  });
  ok('client', `${def.client.protocol} at ${url} accepts connections`);
}

async function check(file: string, nodes: number): Promise<void> {
  const loaded = loadDefinition(file);
  const { def } = loaded;
  ok('definition', `${loaded.file}: ${def.name}, client ${def.client.protocol}, workloads ${def.workloads.join(', ')}`);
  await ensureEnvironment({ log: (line) => console.error(chalk.cyan(`setup: ${line}`)) });
  const image = await nodeImage(loaded);
  const runDir = mkdtempSync(join(tmpdir(), 'faultline-system-check-'));
  // The node folders stay when the node did not come up: its logs are what to read next.
  let keep = false;
  try {
    let running;
    try {
      running = await startCluster({
        db: definedDb(loaded),
        nodeCount: nodes,
        runId: makeRunId(),
        runDir,
        image,
        labels: { 'faultline.mode': 'check' },
      });
    } catch (err) {
      keep = true;
      throw new UserError(
        `${def.name} did not come up on ${nodes === 1 ? 'one node' : `${nodes} nodes`}:\n${errorText(err)}`,
        `Node logs: ${join(runDir, 'nodes')}/. Fix the definition (or the program) and run \`faultline system check\` again.`,
      );
    }
    try {
      const { timings } = running;
      ok('start', `${nodes === 1 ? 'node' : `${nodes} nodes`} started in ${Math.round(timings.containersMs)} ms (containers), ready ${Math.round(timings.healthyMs)} ms later (${def.ready ? `ready probe ${def.ready.kind}` : def.client.protocol === 'maelstrom' ? 'Maelstrom init answered' : 'client port accepts connections'})`);
      await probeNode(loaded, running.cluster, running.cluster.nodes[0].name);
    } finally {
      await running.teardown();
    }
  } finally {
    if (!keep) rmSync(runDir, { recursive: true, force: true });
  }
  say(`${chalk.green('ok')}    ${def.name} is ready for \`faultline test --system ${file}\``);
}

const checkCommand = defineCommand({
  command: 'check <file>',
  describe: 'Validate a system definition, then bring one node up and down, saying what failed',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'the definition (JSON or YAML)' })
      .option('nodes', { type: 'number', default: 1, describe: 'how many nodes to bring up (1-9)' }),
  handler: async (args) => {
    if (!(Number.isInteger(args.nodes) && args.nodes >= 1 && args.nodes <= 9)) throw new UserError(`--nodes must be a whole number from 1 to 9, got ${args.nodes}`);
    await check(args.file, args.nodes);
  },
});

const schemaCommand = defineCommand({
  command: 'schema',
  describe: 'Print the JSON Schema of system definitions (for editors: "$schema" in the file)',
  builder: (y) => y.option('out', { type: 'string', describe: 'write it to this file instead of printing it' }),
  handler: (args) => {
    const text = systemJsonSchemaText();
    if (args.out === undefined) {
      process.stdout.write(text);
      return;
    }
    checkOutputFile(args.out, '--out');
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, text);
    console.error(`wrote ${args.out}`);
  },
});

export const systemCommand = defineCommand({
  command: 'system <command>',
  describe: 'Your own system, described by a definition file: check it (check FILE), or print the schema (schema)',
  builder: (y) => y.command([checkCommand, schemaCommand]).demandCommand(1),
  handler: () => {},
});

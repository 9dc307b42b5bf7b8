// Public surface of clusters/defined/: a system described by one definition
// file (JSON or YAML) instead of TypeScript, issue "Bring your own system".
//
//   loadDefinition(file)    read and check a definition (UserError naming file, field, expectation)
//   definedDb(loaded)       the DB it describes: image, start, readiness, leader, client address
//   systemJsonSchema()      the schema as JSON Schema, for editors (schema/system.schema.json)
export { loadDefinition, parseDefinitionText, validateDefinition, type LoadedDefinition } from './load.ts';
export { definitionProblems, type DefinitionProblem, type HostView } from './check.ts';
export { describeIssues, closest } from './issues.ts';
export { definedDb, clientPort, logTail } from './db.ts';
export { definedImage, definedImageTag } from './image.ts';
export { servedWorkloads, MAELSTROM_WORKLOADS, type DefinedWorkload } from './served.ts';
export { expandPlaceholders, nodeValues, placeholdersIn, PLACEHOLDERS, type PlaceholderValues } from './placeholders.ts';
export { judgeLeader, nodeNamed, type LeaderAnswer, type LeaderJudgement } from './leader.ts';
export { fieldOf, sameJson } from './json-field.ts';
export { httpJson, httpProbe, readyProblem, resolvePort, tcpConnect, causeText, type HttpAnswer, type HttpProbeSpec } from './probes.ts';
export { systemJsonSchema, systemJsonSchemaText, SYSTEM_SCHEMA_ID } from './json-schema.ts';
export {
  systemDefinitionSchema,
  DEFINED_WORKLOADS,
  SHIM_PORTS,
  type SystemDefinition,
  type SystemDefinitionInput,
  type ClientProtocol,
  type HttpKvProtocol,
  type MaelstromProtocol,
  type ZookeeperProtocol,
  type LeaderProbe,
  type StateHashProbe,
  type ReadyProbe,
  type AnswerMatch,
} from './schema.ts';
// The Maelstrom protocol: the shim beside each node, Maelstrom's error table.
export * from './maelstrom/index.ts';

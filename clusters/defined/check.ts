// What a definition must get right beyond its shape (schema.ts): every
// placeholder known, every port name defined, the workloads served by the
// client protocol, no port taken by faultline's Maelstrom shim, the host files
// of the image present. Pure: the file system comes in as `exists`.
import { isAbsolute, resolve } from 'node:path';
import { fieldPath } from './issues.ts';
import { PLACEHOLDERS, placeholderProblem, placeholdersIn } from './placeholders.ts';
import { servedWorkloads } from './served.ts';
import { SHIM_PORTS, underLibfaketime, type PortRef, type SystemDefinition } from './schema.ts';

export interface DefinitionProblem {
  /** Field path, e.g. "node.command[2]". */
  field: string;
  message: string;
}

/** What the checks need from the machine. */
export interface HostView {
  /** Folder of the definition file: relative host paths start there. */
  dir: string;
  /** Kind of a host path: 'file', 'dir', or undefined when missing. */
  kind(path: string): 'file' | 'dir' | undefined;
  /** libfaketime is installed (node.clock "libfaketime" needs it in the image). */
  hasLibfaketime: boolean;
}

/** A host path of the image, absolute. */
export function hostPath(dir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dir, path);
}

/** Every semantic problem of a parsed definition (empty: fine). */
export function definitionProblems(def: SystemDefinition, host: HostView): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add = (path: PropertyKey[], message: string) => problems.push({ field: fieldPath(path), message });

  // Placeholders.
  const checkText = (path: PropertyKey[], text: string, allowed: readonly string[] = PLACEHOLDERS) => {
    for (const p of new Set(placeholdersIn(text))) {
      const why = placeholderProblem(p, def.ports, allowed);
      if (why) add(path, why);
    }
  };
  def.node.command.forEach((arg, i) => checkText(['node', 'command', i], arg));
  for (const [k, v] of Object.entries(def.node.env)) checkText(['node', 'env', k], v);
  // {peers} is made of node.peer, so node.peer cannot use it.
  checkText(['node', 'peer'], def.node.peer, PLACEHOLDERS.filter((p) => p !== 'peers'));
  if (def.ready?.kind === 'command') def.ready.command.forEach((arg, i) => checkText(['ready', 'command', i], arg));
  if (def.ready?.kind === 'http') checkText(['ready', 'path'], def.ready.path);
  if (def.leader) checkText(['leader', 'http', 'path'], def.leader.http.path);
  if (def.stateHash) checkText(['stateHash', 'http', 'path'], def.stateHash.http.path);

  // Port names.
  const checkPort = (path: PropertyKey[], ref: PortRef) => {
    if (typeof ref === 'string' && !Object.hasOwn(def.ports, ref)) {
      const known = Object.keys(def.ports);
      add(path, `no port named ${JSON.stringify(ref)} in \`ports\` (${known.length ? `it has ${known.join(', ')}` : 'it is empty'}); name one there or give a number`);
    }
  };
  if (def.client.protocol !== 'maelstrom') checkPort(['client', 'port'], def.client.port);
  if (def.ready?.kind === 'tcp' || def.ready?.kind === 'http') checkPort(['ready', 'port'], def.ready.port);
  if (def.leader) checkPort(['leader', 'http', 'port'], def.leader.http.port);
  if (def.stateHash) checkPort(['stateHash', 'http', 'port'], def.stateHash.http.port);

  // Workloads.
  const served = servedWorkloads(def.client);
  def.workloads.forEach((w, i) => {
    if (!served.workloads.includes(w)) add(['workloads', i], `${w} is not served by client protocol ${def.client.protocol}: ${served.why}`);
  });

  // Maelstrom: the shim listens on its own ports in every node.
  if (def.client.protocol === 'maelstrom') {
    const taken = new Set<number>(Object.values(SHIM_PORTS));
    for (const [name, port] of Object.entries(def.ports)) {
      if (taken.has(port)) add(['ports', name], `port ${port} is taken by faultline's Maelstrom shim in every node (it uses ${[...taken].join(' and ')}); pick another`);
    }
  }

  // Host files of the image.
  if ('files' in def.image) {
    // What image.prepare makes may be missing until it runs (prepare.ts checks again then).
    const madeLater = def.image.prepare !== undefined;
    def.image.files.forEach((f, i) => {
      const from = typeof f === 'string' ? f : f.from;
      const path = typeof f === 'string' ? ['image', 'files', i] : ['image', 'files', i, 'from'];
      const kind = host.kind(hostPath(host.dir, from));
      if (kind === undefined && !madeLater) add(path, `${hostPath(host.dir, from)} does not exist on this machine${isAbsolute(from) ? '' : ` (relative paths start at ${host.dir})`}`);
      else if (kind === 'dir') add(path, `${hostPath(host.dir, from)} is a folder: list it under image.dirs`);
    });
    def.image.dirs.forEach((d, i) => {
      const from = typeof d === 'string' ? d : d.from;
      const path = typeof d === 'string' ? ['image', 'dirs', i] : ['image', 'dirs', i, 'from'];
      const kind = host.kind(hostPath(host.dir, from));
      if (kind === undefined && !madeLater) add(path, `${hostPath(host.dir, from)} does not exist on this machine${isAbsolute(from) ? '' : ` (relative paths start at ${host.dir})`}`);
      else if (kind === 'file') add(path, `${hostPath(host.dir, from)} is a file: list it under image.files`);
    });
    if (underLibfaketime(def.node) && !host.hasLibfaketime) {
      add(['node', 'clock'], 'libfaketime is not installed on this machine, so it cannot go into the node image (faultline setup installs it)');
    }
  }
  return problems;
}

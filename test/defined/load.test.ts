// The definition loader: every kind of mistake is a UserError naming the
// file, the field and what was expected.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefinition } from '../../clusters/defined/index.ts';
import { UserError } from '../../history/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-defined-'));

/** A small valid definition (a host file that exists everywhere). */
function base(): Record<string, any> {
  return {
    name: 'kv',
    image: { files: ['/bin/true'] },
    ports: { client: 8080, peer: 8081 },
    node: { command: ['/bin/true', '--id={id}', '--peers={peers}', '--listen={ip}:{port:client}'], peer: '{name}@{ip}:{port:peer}' },
    client: { protocol: 'etcd-v3', port: 'client' },
    workloads: ['register'],
  };
}

let n = 0;
function write(content: unknown, ext = '.json'): string {
  const file = join(dir, `def-${n++}${ext}`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function refusal(content: unknown, ext = '.json'): string {
  const file = write(content, ext);
  try {
    loadDefinition(file);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    const message = (err as Error).message;
    expect(message.startsWith(file) || message.includes('def-')).toBe(true);
    return message;
  }
  throw new Error(`${file} was accepted`);
}

describe('loadDefinition', () => {
  it('accepts a valid definition, applies defaults and resolves the folder', () => {
    const loaded = loadDefinition(write(base()));
    expect(loaded.dir).toBe(dir);
    expect(loaded.def.node.dataDir).toBe('/data');
    expect(loaded.def.readyTimeoutS).toBe(30);
    expect(loaded.input).toEqual(base());
  });

  it('reads YAML too', () => {
    const yaml = 'name: kv\nimage: { files: [/bin/true] }\nports: { client: 8080 }\nnode:\n  command: [/bin/true, "{name}"]\nclient: { protocol: etcd-v3, port: client }\nworkloads: [register, set]\n';
    expect(loadDefinition(write(yaml, '.yaml')).def.workloads).toEqual(['register', 'set']);
  });

  it('node.dataFiles (for --nemesis corrupt): classes of globs in dataDir; anything the node\'s shell would run, or a path out of dataDir, is refused', () => {
    const d = base();
    d.node.dataFiles = { wal: 'wal/*.log', snapshot: 'snap/[0-9]*.snap' };
    expect(loadDefinition(write(d)).def.node.dataFiles).toEqual({ wal: 'wal/*.log', snapshot: 'snap/[0-9]*.snap' });
    for (const glob of ['../etc/passwd', 'a/../../b', '/data/x', 'x; rm -rf /', '$(reboot)', 'a b', '`id`', '']) {
      const bad = base();
      bad.node.dataFiles = { wal: glob };
      expect(refusal(bad), glob).toMatch(/node\.dataFiles\.wal: .*a glob relative to dataDir/);
    }
    const badClass = base();
    badClass.node.dataFiles = { 'My Class': 'x' };
    expect(refusal(badClass)).toMatch(/node\.dataFiles: the name "My Class" is not a class name in lower case/);
  });

  it('a missing command: the field and what it is for', () => {
    const d = base();
    delete d.node.command;
    expect(refusal(d)).toMatch(/: node\.command: required: the command that starts one node/);
  });

  it('an unknown placeholder: the field, and the known ones', () => {
    const d = base();
    d.node.command[1] = '--id={nme}';
    expect(refusal(d)).toMatch(/node\.command\[1\]: unknown placeholder \{nme\}; known: \{name\} \{id\} \{ip\} \{peers\} \{dataDir\} \{nodes\} \{port:NAME\}/);
  });

  it('a port placeholder or port reference to a port not in ports', () => {
    const d = base();
    d.node.command[3] = '--admin={port:admin}';
    d.ready = { kind: 'tcp', port: 'admin' };
    const message = refusal(d);
    expect(message).toMatch(/node\.command\[3\]: \{port:admin\}: no port named "admin" in `ports` \(it has client, peer\)/);
    expect(message).toMatch(/ready\.port: no port named "admin"/);
  });

  it('{peers} inside node.peer is refused (it is made of node.peer)', () => {
    const d = base();
    d.node.peer = '{peers}';
    expect(refusal(d)).toMatch(/node\.peer: unknown placeholder \{peers\}/);
  });

  it('an unknown protocol: the allowed values, and the close one', () => {
    const d = base();
    d.client.protocol = 'etcd3';
    expect(refusal(d)).toMatch(/client\.protocol: expected one of "maelstrom", "http-kv", "etcd-v3", "zookeeper", got "etcd3" \(did you mean etcd-v3\?\)/);
  });

  it('an unknown field: a close known name', () => {
    const d = base();
    d.node.comand = d.node.command;
    delete d.node.command;
    const message = refusal(d);
    expect(message).toMatch(/node: unknown field comand \(did you mean command\?\)/);
    // The typo explains the missing field: not said twice.
    expect(message).not.toMatch(/required/);
  });

  it('a wrong type: what was expected and what came', () => {
    const d = base();
    d.readyTimeoutS = '30';
    expect(refusal(d)).toMatch(/readyTimeoutS: expected a number, got a string \("30"\)/);
  });

  it('mixing the two forms of image', () => {
    const d = base();
    d.image.tag = 'mine:latest';
    expect(refusal(d)).toMatch(/image: files and tag cannot be used together/);
  });

  it('a YAML syntax error: line and column', () => {
    expect(refusal('name: kv\nimage:\n  files: [a\nnode: 1\n', '.yml')).toMatch(/not valid YAML at line \d+, column \d+/);
  });

  it('a JSON syntax error: line and column', () => {
    expect(refusal('{"name": "kv",\n  "image": {}\n  "node": 1}', '.json')).toMatch(/not valid JSON at line 3, column 3/);
  });

  it('a missing host file: the path, and where relative paths start', () => {
    const d = base();
    d.image.files = ['./my-server'];
    expect(refusal(d)).toMatch(new RegExp(`image\\.files\\[0\\]: ${join(dir, 'my-server')} does not exist on this machine \\(relative paths start at ${dir}\\)`));
  });

  it('a workload the protocol does not serve', () => {
    const d = base();
    d.client = { protocol: 'maelstrom' };
    d.workloads = ['register', 'set'];
    expect(refusal(d)).toMatch(/workloads\[1\]: set is not served by client protocol maelstrom/);
  });

  it('a Maelstrom definition may not take the shim ports', () => {
    const d = base();
    d.client = { protocol: 'maelstrom' };
    d.ports = { client: 7070 };
    d.node.command = ['/bin/true'];
    delete d.node.peer;
    expect(refusal(d)).toMatch(/ports\.client: port 7070 is taken by faultline's Maelstrom shim/);
  });

  it('a missing file, a folder, another extension', () => {
    expect(() => loadDefinition(join(dir, 'nope.json'))).toThrow(/nope\.json: no such file/);
    expect(() => loadDefinition(dir)).toThrow(/a folder; name the definition file in it/);
    expect(() => loadDefinition(write('x', '.txt'))).toThrow(/a \.json, \.yaml or \.yml file/);
  });

  it('every problem is listed, each on its own line naming the file', () => {
    const d = base();
    d.readyTimeoutS = -1;
    d.workloads = [];
    const lines = refusal(d).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/def-\d+\.json: readyTimeoutS: must be greater than 0, got -1$/);
    expect(lines[1]).toMatch(/def-\d+\.json: workloads: at least 1 item/);
  });
});

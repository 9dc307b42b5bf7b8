// Placeholders: which a string uses, and their values on one node.
import { describe, expect, it } from 'vitest';
import { expandPlaceholders, nodeValues, placeholdersIn } from '../../clusters/defined/index.ts';

const nodes = [
  { name: 'n1', ip: '10.0.0.11' },
  { name: 'n2', ip: '10.0.0.12' },
  { name: 'n3', ip: '10.0.0.13' },
];
const o = { peer: '{name}=http://{ip}:{port:peer}', peerSeparator: ',', dataDir: '/data/kv', ports: { client: 2379, peer: 2380 } };

describe('placeholders', () => {
  it('lists what a string uses, braces doubled are literal', () => {
    expect(placeholdersIn('--x={name} {port:client} {{json}} {ip}{name}')).toEqual(['name', 'port:client', 'ip', 'name']);
    expect(placeholdersIn('no placeholders')).toEqual([]);
  });

  it('fills in one node: name, id, ip, ports, dataDir, nodes, peers', () => {
    const v = nodeValues(nodes, 'n2', o);
    expect(expandPlaceholders('--name={name} --id={id} --listen=http://{ip}:{port:client} --data={dataDir} --of={nodes}', v)).toBe(
      '--name=n2 --id=2 --listen=http://10.0.0.12:2379 --data=/data/kv --of=3',
    );
    expect(expandPlaceholders('{peers}', v)).toBe('n1=http://10.0.0.11:2380,n2=http://10.0.0.12:2380,n3=http://10.0.0.13:2380');
    expect(expandPlaceholders('{{"id": {id}}}', v)).toBe('{"id": 2}');
  });

  it('peerSeparator joins the peers', () => {
    expect(expandPlaceholders('{peers}', nodeValues(nodes, 'n1', { ...o, peer: '{ip}', peerSeparator: ' ' }))).toBe('10.0.0.11 10.0.0.12 10.0.0.13');
  });

  it('an unknown placeholder or port throws (the loader refuses them first)', () => {
    const v = nodeValues(nodes, 'n1', o);
    expect(() => expandPlaceholders('{nope}', v)).toThrow(/placeholder \{nope\}/);
    expect(() => expandPlaceholders('{port:admin}', v)).toThrow(/no port admin/);
    expect(() => nodeValues(nodes, 'n9', o)).toThrow(/no node n9/);
  });
});

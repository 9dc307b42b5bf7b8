// The pure parts of the SSH backend: hosts.json checking, and which iptables
// lines are faultline's (and how they are removed without touching others).
import { describe, expect, it } from 'vitest';
import { UserError } from '../../history/index.ts';
import { ourIptablesLines, parseHostsFile, parseSurvey, removeRulesScript } from '../../clusters/hosts/index.ts';

describe('hosts.json', () => {
  it('fills defaults and resolves key paths against the file', () => {
    const f = parseHostsFile(JSON.stringify({ hosts: [{ address: '10.0.0.5', key: 'keys/id' }, { name: 'db2', address: 'b', port: 2222, user: 'ops', sudo: true }] }), '/etc/x');
    expect(f.hosts).toEqual([
      { name: 'n1', address: '10.0.0.5', port: 22, user: 'root', key: '/etc/x/keys/id', sudo: false },
      { name: 'db2', address: 'b', port: 2222, user: 'ops', key: undefined, sudo: true },
    ]);
  });

  it.each([
    ['not json', /not JSON/],
    ['{"hosts": []}', /at least one host/],
    ['[{"port": 22}]', /address is missing/],
    ['[{"address": "a", "port": 70000}]', /port must be 1-65535/],
    ['[{"address": "a", "sudo": "yes"}]', /sudo must be true or false/],
    ['[{"address": "a", "name": "x"}, {"address": "b", "name": "x"}]', /two hosts are named x/],
  ])('refuses %s', (text, why) => {
    expect(() => parseHostsFile(text, '/')).toThrow(UserError);
    expect(() => parseHostsFile(text, '/')).toThrow(why);
  });
});

describe('leftovers on a host', () => {
  const iptablesS = [
    '-P INPUT ACCEPT',
    '-N DOCKER-USER',
    '-N faultline-partition',
    '-A INPUT -m comment --comment faultline -j faultline-partition',
    '-A INPUT -s 10.1.1.1/32 -m comment --comment "ssh guard" -j ACCEPT',
    '-A DOCKER-USER -j RETURN',
    '-A faultline-partition -s 10.0.0.12/32 -m comment --comment faultline -j DROP',
  ].join('\n');

  it('finds only our rules and chains', () => {
    expect(ourIptablesLines(iptablesS)).toEqual([
      '-N faultline-partition',
      '-A INPUT -m comment --comment faultline -j faultline-partition',
      '-A faultline-partition -s 10.0.0.12/32 -m comment --comment faultline -j DROP',
    ]);
  });

  it('deletes rule by rule, then our chains; never a flush of a built-in chain', () => {
    const script = removeRulesScript(ourIptablesLines(iptablesS));
    expect(script.split('\n')).toEqual([
      'iptables -D INPUT -m comment --comment faultline -j faultline-partition',
      'iptables -D faultline-partition -s 10.0.0.12/32 -m comment --comment faultline -j DROP',
      'iptables -F faultline-partition',
      'iptables -X faultline-partition',
      'true',
    ]);
  });

  it('reads a survey', () => {
    const s = parseSurvey(`${iptablesS}\n--- faultline ---\n123\n456\n--- faultline ---\nyes\n--- faultline ---\n/var/tmp/faultline/r1/n1/proc/sys\n/var/tmp/faultline/r1/n1/proc\n`);
    expect(s.processes).toEqual([123, 456]);
    expect(s.files).toBe(true);
    expect(s.mounts).toEqual(['/var/tmp/faultline/r1/n1/proc/sys', '/var/tmp/faultline/r1/n1/proc']);
    expect(s.rules).toHaveLength(3);
    expect(parseSurvey('-P INPUT ACCEPT\n--- faultline ---\n--- faultline ---\nno\n--- faultline ---\n')).toEqual({ rules: [], processes: [], files: false, mounts: [] });
  });
});

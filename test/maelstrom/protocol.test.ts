// The shim's view of Maelstrom's wire format: what a stdout line must be
// (and what it says when it is not), where a message goes, and client ids
// that lead a reply back to the shim that sent the request.
import { describe, expect, it } from 'vitest';
import { clientId, clientOwner, explainGarbage, parseMessage, routeOf } from '../../clusters/defined/maelstrom/protocol.ts';

describe('parseMessage', () => {
  it('takes a Maelstrom message', () => {
    const line = '{"src":"n1","dest":"c3","body":{"type":"read_ok","in_reply_to":2,"value":5}}';
    expect(parseMessage(line)).toEqual({ message: JSON.parse(line) });
  });

  it.each([
    ['hello', 'it is not JSON'],
    ['[1,2]', 'it is JSON but not an object'],
    ['{"dest":"n2","body":{"type":"x"}}', 'it has no string "src"'],
    ['{"src":"n1","dest":"n2"}', 'it has no "body" object'],
    ['{"src":"n1","dest":"n2","body":{"msg_id":1}}', 'its body has no string "type"'],
    ['{"src":"n1","dest":"n2","body":{"type":"x","msg_id":"one"}}', 'its body\'s "msg_id" is not an integer'],
  ])('names what is wrong with %s', (line, problem) => {
    expect(parseMessage(line)).toEqual({ problem });
  });

  it('explains garbage: the node, the line quoted, and what the protocol expects', () => {
    const text = explainGarbage('n2', 'DEBUG: starting\u001b[0m', 'it is not JSON');
    expect(text).toContain('node n2 wrote a line to stdout that is not a Maelstrom message (it is not JSON)');
    expect(text).toContain('"DEBUG: starting\\u001b[0m"');
    expect(text).toMatch(/one per line.*stderr/);
    expect(explainGarbage('n1', 'x'.repeat(500), 'it is not JSON')).toContain('(500 characters)');
  });
});

describe('client ids', () => {
  it('lead back to the shim that handed them out', () => {
    for (let position = 0; position < 5; position++) {
      for (let round = 0; round < 4; round++) expect(clientOwner(clientId(position, 5, round), 5)).toBe(position);
    }
    expect(clientId(0, 3, 0)).toBe('c1');
    expect(clientId(2, 3, 1)).toBe('c6');
    expect(clientOwner('c0', 3)).toBeUndefined(); // init's client, nobody's RPC
    expect(clientOwner('n1', 3)).toBeUndefined();
  });
});

describe('routeOf', () => {
  const nodes = ['n1', 'n2', 'n3'];
  it.each([
    ['n1', { to: 'self' }],
    ['n3', { to: 'peer', node: 'n3' }],
    ['c0', { to: 'init' }],
    ['c1', { to: 'client', owner: 'n1' }],
    ['c5', { to: 'client', owner: 'n2' }],
    ['lin-kv', { to: 'service', service: 'lin-kv' }],
    ['n9', { to: 'nowhere' }],
  ])('%s', (dest, route) => {
    expect(routeOf(dest, 'n1', nodes)).toEqual(route);
  });
});

// Following "ask the leader instead" answers (raftkv's clients and http-kv's):
// a hop to the node named, a pause while none is, at most 8 hops, and no retry
// that the op's budget could not finish.
import { describe, expect, it } from 'vitest';
import { followRedirects, type Attempt } from '../../workloads/leader-redirect.ts';

const nodes = new Set(['n1', 'n2', 'n3']);
const options = (timeoutMs = 2000) => ({ node: 'n1', timeoutMs, isNode: (n: string) => nodes.has(n) });

/** Attempts that answer from a script, recording where each went. */
function scripted(answers: Array<Attempt<string>>) {
  const asked: string[] = [];
  const attempt = async (node: string): Promise<Attempt<string>> => {
    asked.push(node);
    return answers[Math.min(asked.length - 1, answers.length - 1)];
  };
  return { asked, attempt };
}

describe('followRedirects', () => {
  it('hops to the node a redirect names and returns the first final answer', async () => {
    const s = scripted([{ answer: 'go to n3', redirectTo: 'n3' }, { answer: 'done' }]);
    expect(await followRedirects(options(), s.attempt)).toBe('done');
    expect(s.asked).toEqual(['n1', 'n3']);
  });

  it('asks the same node again after a pause when no leader (or an unknown node, or itself) is named', async () => {
    const s = scripted([{ answer: 'election', redirectTo: null }, { answer: 'elsewhere', redirectTo: 'n9' }, { answer: 'me', redirectTo: 'n1' }, { answer: 'done' }]);
    const started = Date.now();
    expect(await followRedirects(options(), s.attempt)).toBe('done');
    expect(s.asked).toEqual(['n1', 'n1', 'n1', 'n1']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('stops after 8 hops with the last redirect', async () => {
    const s = scripted([{ answer: 'not me', redirectTo: 'n2' }, { answer: 'not me', redirectTo: 'n3' }, { answer: 'not me', redirectTo: 'n2' }]);
    expect(await followRedirects(options(), s.attempt)).toBe('not me');
    expect(s.asked).toHaveLength(9);
  });

  it('does not start a retry the op budget could not finish', async () => {
    // Budget 300 ms: the client stops at 270; a retry needs the 100 ms pause plus a quarter of the budget (75 ms).
    // The first retry (at ~100 ms) fits, the second (at ~200 ms) would end past 270.
    const s = scripted([{ answer: 'election', redirectTo: null }]);
    expect(await followRedirects(options(300), s.attempt)).toBe('election');
    expect(s.asked).toEqual(['n1', 'n1']);
  });
});

// Signal several DB processes in the same instant. A docker exec per node
// takes tens of milliseconds (hundreds on a loaded machine), so nodes
// signalled one exec at a time change one after another: resumed that way,
// the first one awake wins its election before the next one runs, and no
// contest comes. Instead each node first gets a waiter (arm), a shell
// blocked reading a FIFO in the node's host folder, that runs the script
// once a line arrives; fire then writes that line to every FIFO in one
// synchronous loop, microseconds apart. A node whose waiter is not seen
// waiting within the budget runs the script by an exec of its own when
// fired, and the result says so.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DockerClusterInfo } from '../clusters/index.ts';
import { NODE_DIR } from '../clusters/index.ts';
import { sleep } from './effect.ts';
import { sh } from './fault.ts';

export interface Together {
  /** Nodes that ran the script on the one loop of writes. */
  together: string[];
  /** Nodes that ran it by an exec of their own (their waiter was not seen in time). */
  apart: string[];
  /** Microseconds between the first and the last write of the loop. */
  spreadUs: number;
  /** Each node's script output, or the error. */
  outputs: Record<string, string>;
}

export interface Armed {
  /** Run the script on every node now; resolves once every one finished. */
  fire(): Promise<Together>;
}

let armings = 0;

/** Start a waiter on each of `nodes` and wait (up to `budgetMs`) until every one waits. */
export async function armTogether(info: DockerClusterInfo, nodes: readonly string[], script: string, budgetMs = 3_000): Promise<Armed> {
  const name = `together-${process.pid}-${++armings}.fifo`;
  const fifo = (n: string) => join(info.cluster.node(n).hostDir, name);
  for (const n of nodes) execFileSync('mkfifo', ['-m', '0600', fifo(n)]);
  const outputs: Record<string, string> = {};
  const waiters = nodes.map((n) =>
    sh(info, n, `read line < ${NODE_DIR}/${name}\n${script}`).then(
      (out) => (outputs[n] = out.trim()),
      (err: Error) => (outputs[n] = `error: ${err.message}`),
    ),
  );
  // A FIFO opens for writing without blocking only once its reader waits: the sign a waiter is ready.
  const fds = new Map<string, number>();
  const t0 = performance.now();
  while (fds.size < nodes.length && performance.now() - t0 < budgetMs) {
    for (const n of nodes) {
      if (fds.has(n)) continue;
      try {
        fds.set(n, openSync(fifo(n), constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // ENXIO: no reader yet
      }
    }
    if (fds.size < nodes.length) await sleep(5);
  }
  return {
    async fire(): Promise<Together> {
      const start = process.hrtime.bigint();
      for (const fd of fds.values()) writeSync(fd, '\n');
      const spreadUs = Math.round(Number(process.hrtime.bigint() - start) / 1000);
      for (const fd of fds.values()) closeSync(fd);
      const together = nodes.filter((n) => fds.has(n));
      const apart = nodes.filter((n) => !fds.has(n));
      for (const n of apart) {
        // A late waiter would block on its FIFO for good: a writer that comes and goes lets it through (to a harmless run of the script).
        closeSync(openSync(fifo(n), constants.O_RDWR | constants.O_NONBLOCK));
      }
      await Promise.all([...waiters, ...apart.map((n) => sh(info, n, script).then((out) => (outputs[n] = out.trim())))]);
      for (const n of nodes) rmSync(fifo(n), { force: true });
      return { together, apart, spreadUs, outputs };
    },
  };
}

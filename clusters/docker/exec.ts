// Run a command inside a container and collect its output and exit code.
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { docker } from './engine.ts';

import type { ExecResult } from '../node-cluster.ts';
export type { ExecResult };

export async function execIn(
  container: Docker.Container,
  cmd: string[],
  opts: { timeoutMs?: number; env?: string[] } = {},
): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Env: opts.env });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough().on('data', (c: Buffer) => out.push(c));
  const stderr = new PassThrough().on('data', (c: Buffer) => err.push(c));
  docker().modem.demuxStream(stream, stdout, stderr);
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`exec ${cmd.join(' ')} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([finished, timeout]);
  } finally {
    clearTimeout(timer);
    stream.destroy(); // a hijacked socket otherwise stays open and keeps the process alive
  }
  const info = await exec.inspect();
  return {
    exitCode: info.ExitCode ?? -1,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

// The store browser behind `faultline serve`: a table of every run, each
// run's report and raw files. Read-only: it never writes into the store (a run
// without report.html gets one rendered in memory).
import { createReadStream } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { loadReport } from './report-data.ts';
import { renderReportParts, renderStorePage } from './html.ts';
import { RUN_FILES } from '../harness/run-folder/index.ts';
import { StoreIndex } from './store-index.ts';

export interface StoreServerOptions {
  store: string;
  port: number;
  /** 127.0.0.1 unless the user asks otherwise. */
  host?: string;
  /**
   * Host header names the server answers besides localhost ones. A page on
   * any web site can point a name of its own at 127.0.0.1 (DNS rebinding) and
   * read the store, unless the server refuses names it does not know.
   */
  allowedHosts?: readonly string[];
}

const LOCAL_NAMES = ['localhost', '127.0.0.1', '::1', '[::1]'];

/** The host part of a Host header (no port), lower case; undefined when there is none. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.split(':')[0];
}

export interface RunningServer {
  server: Server;
  url: string;
  index: StoreIndex;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
};

export async function startStoreServer(options: StoreServerOptions): Promise<RunningServer> {
  const root = path.resolve(options.store);
  const index = new StoreIndex(root);
  const host = options.host ?? '127.0.0.1';
  const allowed = new Set([...LOCAL_NAMES, host.toLowerCase(), ...(options.allowedHosts ?? []).map((h) => h.toLowerCase())]);
  const server = createServer((req, res) => {
    const name = hostName(req.headers.host);
    if (name === undefined || !allowed.has(name) && !allowed.has('*')) {
      return send(res, 421, 'text/plain; charset=utf-8', `this server answers ${[...allowed].join(', ')} only (see faultline serve --allow-host)\n`);
    }
    handle(index, root, req, res).catch((err: unknown) => send(res, 500, 'text/plain; charset=utf-8', `error: ${(err as Error).message}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    index,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(index: StoreIndex, root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'read-only\n');
  const url = new URL(req.url ?? '/', 'http://localhost');
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return send(res, 400, 'text/plain; charset=utf-8', 'malformed URL escape\n');
  }
  if (pathname === '/' || pathname === '/index.html') {
    return send(res, 200, TYPES['.html'], renderStorePage(path.basename(root), await index.runs()));
  }
  if (pathname === '/api/runs') return send(res, 200, TYPES['.json'], JSON.stringify(await index.runs()));
  const match = /^\/runs\/([^/]+)\/([^/]+)(?:\/(.*))?$/.exec(pathname);
  if (!match) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  const [, test, run, rest = ''] = match;
  const runDir = await index.folderOf(`${test}/${run}`);
  if (!runDir) return send(res, 404, 'text/plain; charset=utf-8', 'no such run in this store\n');
  const file = rest === '' ? RUN_FILES.report : rest;
  const full = path.resolve(runDir, file);
  // Only files inside the run folder, after following links.
  const real = await realpath(full).catch(() => undefined);
  const realRun = await realpath(runDir);
  if (real === undefined) {
    if (file === RUN_FILES.report) return send(res, 200, TYPES['.html'], renderReportParts(await loadReport(runDir)).join(''));
    return send(res, 404, 'text/plain; charset=utf-8', 'no such file\n');
  }
  if (real !== realRun && !real.startsWith(realRun + path.sep)) return send(res, 403, 'text/plain; charset=utf-8', 'outside the run folder\n');
  const info = await stat(real);
  if (info.isDirectory()) {
    // A folder (nodes/): its files, one path a line, relative to the run folder.
    const files = await readdir(real, { recursive: true, withFileTypes: true });
    const lines = files.filter((f) => f.isFile()).map((f) => path.relative(realRun, path.join(f.parentPath, f.name)).split(path.sep).join('/'));
    return send(res, 200, 'text/plain; charset=utf-8', `${lines.sort().join('\n')}\n`);
  }
  // Anything not known to be HTML/JSON/XML is plain text: a log can never render as a page.
  res.writeHead(200, {
    'content-type': TYPES[path.extname(real)] ?? 'text/plain; charset=utf-8',
    'content-length': info.size,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(real).pipe(res);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' });
  res.end(body);
}

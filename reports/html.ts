// Assembles report.html: one file, CSS + page script + data inline, so it
// opens from disk with no network. The page script is written in TypeScript
// (reports/page/*.ts, reading the same types this side writes) and bundled by
// esbuild into one classic script per page (page-script.ts); style.css is
// inlined as it is.
//
// Safety: data never becomes markup. It travels in non-executed
// <script type="application/json|octet-stream"> blocks (with "<" escaped so no
// value can close the block) and the page renders it with textContent only.
// A Content-Security-Policy allows exactly the one page script (by hash), so
// even an injected inline handler or <script> could not run, and no network.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pageScript } from './page-script.ts';
import type { ReportPayload } from './report-data.ts';

let styleCss: string | undefined;

/** The pages' style sheet (page/style.css), read once. */
function style(): string {
  styleCss ??= readFileSync(fileURLToPath(new URL('./page/style.css', import.meta.url)), 'utf8');
  return styleCss;
}

export interface PageBlock {
  id: string;
  type: 'application/json' | 'application/octet-stream';
  /** Already script-safe text (scriptSafeJson or base64). */
  text: string;
}

/**
 * A self-contained page as string parts: CSP (only the page's script, by hash;
 * no network), inline CSS, the data blocks, then the script.
 */
export function renderPage(title: string, page: 'report' | 'store', blocks: Iterable<PageBlock>): string[] {
  const script = pageScript(page);
  const hash = createHash('sha256').update(script).digest('base64');
  const csp = `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data:; connect-src data: blob:; base-uri 'none'; form-action 'none'`;
  const parts = [
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">\n`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
    `<title>${escapeHtml(title)}</title>\n<style>\n${style()}</style>\n</head>\n<body>\n`,
    '<noscript>This page needs JavaScript; the raw data is in the run folder.</noscript>\n',
    '<div id="app"><p class="loading">Loading…</p></div>\n',
  ];
  for (const block of blocks) parts.push(`<script type="${block.type}" id="${escapeHtml(block.id)}">${block.text}</script>\n`);
  parts.push(`<script>${script}</script>\n</body>\n</html>\n`);
  return parts;
}

/** JSON safe inside a <script> block: no "<" (so no "</script>"), no U+2028/9. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** report.html as string parts (a 1M-op report is tens of MB: no giant concatenation). */
export function renderReportParts(payload: ReportPayload): string[] {
  const title = `faultline: ${payload.model.test.name ?? 'run'} — ${verdictWord(payload.model.results.valid)}`;
  function* blocks(): Generator<PageBlock> {
    yield { id: 'report-model', type: 'application/json', text: scriptSafeJson(payload.model) };
    yield { id: 'report-columns', type: 'application/octet-stream', text: payload.columns };
    for (let i = 0; i < payload.chunks.length; i++) yield { id: `records-${i}`, type: 'application/octet-stream', text: payload.chunks[i] };
  }
  return renderPage(title, 'report', blocks());
}

/** The store browser's page: the run index embedded, filtered and sorted in the page. */
export function renderStorePage(storeName: string, runs: unknown): string {
  return renderPage(`faultline store: ${storeName}`, 'store', [{ id: 'store-runs', type: 'application/json', text: scriptSafeJson(runs) }]).join('');
}

function verdictWord(valid: boolean | 'unknown'): string {
  return valid === true ? 'valid' : valid === false ? 'INVALID' : 'unknown';
}

// Assembles report.html: one file, CSS + page script + data inline, so it
// opens from disk with no network. The page script lives in reports/page/*.js
// (plain browser JavaScript, no build step) and is concatenated here.
//
// Safety: data never becomes markup. It travels in non-executed
// <script type="application/json|octet-stream"> blocks (with "<" escaped so no
// value can close the block) and the page renders it with textContent only.
// A Content-Security-Policy allows exactly the one page script (by hash), so
// even an injected inline handler or <script> could not run, and no network.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReportPayload } from './report-data.ts';

/** Page script sources, in load order (each defines functions the next ones use). */
const PAGE_SCRIPTS = ['util.js', 'data.js', 'plots.js', 'timeline.js', 'record.js', 'counterexample.js', 'main.js'];

let cachedAssets: { script: string; style: string } | undefined;

function pageAssets(): { script: string; style: string } {
  if (!cachedAssets) {
    const read = (name: string) => readFileSync(fileURLToPath(new URL(`./page/${name}`, import.meta.url)), 'utf8');
    const script = `(function () {\n'use strict';\n${PAGE_SCRIPTS.map(read).join('\n')}\n})();\n`;
    cachedAssets = { script, style: read('style.css') };
  }
  return cachedAssets;
}

/** JSON safe inside a <script> block: no "<" (so no "</script>"), no U+2028/9. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Writes the report as a sequence of string parts (a 1M-op report is tens of MB: no giant concatenation). */
export function renderReportParts(payload: ReportPayload): string[] {
  const { script, style } = pageAssets();
  const hash = createHash('sha256').update(script).digest('base64');
  const csp = `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data:; connect-src data: blob:; base-uri 'none'; form-action 'none'`;
  const title = `faultline: ${payload.model.test.name ?? 'run'} — ${verdictWord(payload.model.results.valid)}`;
  const parts = [
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">\n`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
    `<title>${escapeHtml(title)}</title>\n<style>\n${style}</style>\n</head>\n<body>\n`,
    '<noscript>This report needs JavaScript to draw its plots; the raw data is in the run folder.</noscript>\n',
    '<div id="app"><p class="loading">Loading report…</p></div>\n',
    `<script type="application/json" id="report-model">${scriptSafeJson(payload.model)}</script>\n`,
    `<script type="application/octet-stream" id="report-columns">${payload.columns}</script>\n`,
  ];
  payload.chunks.forEach((chunk, i) => parts.push(`<script type="application/octet-stream" id="records-${i}">${chunk}</script>\n`));
  parts.push(`<script>${script}</script>\n</body>\n</html>\n`);
  return parts;
}

function verdictWord(valid: boolean | 'unknown'): string {
  return valid === true ? 'valid' : valid === false ? 'INVALID' : 'unknown';
}

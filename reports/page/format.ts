// How numbers, durations, verdicts and JSON read on the page.
import type { Validity } from '../../checkers/index.ts';

export type VerdictWord = 'valid' | 'invalid' | 'unknown';

export function verdictWord(valid: Validity): VerdictWord {
  return valid === true ? 'valid' : valid === false ? 'invalid' : 'unknown';
}

/** ms -> "12.345 s" / "830 ms" / "42 µs"; no value (null) -> "∞". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !isFinite(ms)) return '∞';
  const abs = Math.abs(ms);
  if (abs >= 1000) return (ms / 1000).toFixed(abs >= 100000 ? 1 : 3) + ' s';
  if (abs >= 1) return ms.toFixed(abs >= 100 ? 0 : 2) + ' ms';
  return (ms * 1000).toFixed(0) + ' µs';
}

export function formatCount(n: number): string {
  return Number(n).toLocaleString('en-US');
}

/** JSON for people; long values are cut so one huge record cannot freeze the page. */
export function prettyJson(value: unknown, limit?: number): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, 2);
  } catch (e) {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  const max = limit || 200000;
  return text.length > max ? text.slice(0, max) + '\n… (' + formatCount(text.length - max) + ' more characters)' : text;
}

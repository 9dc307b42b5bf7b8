// JUnit XML for CI: one <testsuite> per run, one <testcase> per checker.
// invalid -> <failure> with the checker's explanation; unknown -> <error>
// (CI must not pass a run nobody could decide). Each suite's <properties>
// carry how many faults took effect, had none, or could not be verified.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readOrBuildSummary } from './summary.ts';
import type { WrittenFile } from './written-file.ts';

/** An input that never became a run folder (an unreadable history file): one error case of its own. */
export interface JUnitUnreadable {
  name: string;
  message: string;
}

export async function renderJUnit(runDirs: readonly string[], unreadable: readonly JUnitUnreadable[] = []): Promise<string> {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const runDir of runDirs) {
    const summary = await readOrBuildSummary(runDir);
    const suiteName = `${summary.name} ${path.basename(path.resolve(runDir))}`;
    const cases = summary.checkers.length
      ? summary.checkers.map((c) => ({ name: c.checker, valid: c.valid, message: c.summary }))
      : [{ name: 'results', valid: 'unknown' as const, message: 'no checker results in results.json' }];
    const caseXml = cases.map((c) => {
      const open = `    <testcase classname="${xml(`faultline.${summary.name}`)}" name="${xml(c.name)}" time="0">`;
      if (c.valid === true) return `${open}</testcase>`;
      const tag = c.valid === false ? 'failure' : 'error';
      const type = c.valid === false ? 'invalid' : 'unknown';
      return `${open}\n      <${tag} type="${type}" message="${xml(c.message)}">${xml(`${c.name}: ${type}\n${c.message}\nrun: ${path.resolve(runDir)}`)}</${tag}>\n    </testcase>`;
    });
    const f = cases.filter((c) => c.valid === false).length;
    const e = cases.filter((c) => c.valid === 'unknown').length;
    tests += cases.length;
    failures += f;
    errors += e;
    const time = (summary.counts.durationMs / 1000).toFixed(3);
    // summary.json files written before fault evidence existed have no faultEffects.
    const fx = summary.counts.faultEffects ?? { tookEffect: 0, noEffect: 0, unverified: 0 };
    const properties = [
      ['faults', summary.counts.faults],
      ['faults.took-effect', fx.tookEffect],
      ['faults.no-effect', fx.noEffect],
      ['faults.unverified', fx.unverified],
    ].map(([name, value]) => `      <property name="${name}" value="${value}"/>`);
    suites.push(
      `  <testsuite name="${xml(suiteName)}" tests="${cases.length}" failures="${f}" errors="${e}" skipped="0" time="${time}">\n    <properties>\n${properties.join('\n')}\n    </properties>\n${caseXml.join('\n')}\n  </testsuite>`,
    );
  }
  for (const u of unreadable) {
    tests++;
    errors++;
    suites.push(
      `  <testsuite name="${xml(u.name)}" tests="1" failures="0" errors="1" skipped="0" time="0">\n` +
        `    <testcase classname="faultline.check" name="read" time="0">\n      <error type="unreadable" message="${xml(u.message)}">${xml(u.message)}</error>\n    </testcase>\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="faultline" tests="${tests}" failures="${failures}" errors="${errors}">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** Writes one JUnit XML file covering every run folder given. */
export async function writeJUnit(runDirs: readonly string[], file: string, unreadable: readonly JUnitUnreadable[] = []): Promise<WrittenFile> {
  const text = await renderJUnit(runDirs, unreadable);
  await writeFile(file, text);
  return { path: path.resolve(file), bytes: Buffer.byteLength(text) };
}

/** XML text/attribute escape; drops characters XML 1.0 cannot carry. */
export function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

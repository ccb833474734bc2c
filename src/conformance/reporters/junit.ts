// JUnit XML: one testsuite per area, one testcase per check result; failures and errors carry
// expected/observed/rule/curl, skips their reason. The failure `type` is the severity (MUST/SHOULD).
import type { Redactor } from '../redact.js';
import type { CheckResult, ConformanceReport } from '../types.js';
import { attemptsText, notRunText, verdictLines } from '../verdict.js';

/** XML 1.0 text: escaped, and characters XML cannot carry at all removed. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function details(r: CheckResult): string {
  const lines = [`${r.title}`, `rule: ${r.rule}`];
  if (r.expected !== undefined) lines.push(`expected: ${r.expected}`);
  if (r.observed !== undefined) lines.push(`observed: ${r.observed}`);
  if (r.reason) lines.push(`reason: ${r.reason}`);
  if (r.note) lines.push(`note: ${r.note}`);
  if (r.attempts?.length) lines.push(`attempts: ${attemptsText(r)}`);
  if (r.curl) lines.push('reproduce:', r.curl);
  return lines.join('\n');
}

function testcase(r: CheckResult): string {
  const open = `    <testcase classname="${xmlEscape(`imagegen-contract.${r.area}`)}" name="${xmlEscape(r.key)}" time="${seconds(r.durationMs)}"`;
  // The tier travels as a property (JUnit readers show properties; the failure type stays the severity).
  const props = `\n      <properties><property name="tier" value="${r.tier ?? 'contract'}"/><property name="severity" value="${r.severity}"/></properties>`;
  switch (r.status) {
    case 'pass': {
      // Flaky: still a pass (the MUST was met), with the retried attempts on record.
      const flaky = r.flaky ? `\nflaky: passed only after retrying transient faults; attempts: ${attemptsText(r)}` : '';
      return `${open}>${props}\n      <system-out>${xmlEscape(`${r.observed ?? ''}${flaky}`)}</system-out>\n    </testcase>`;
    }
    // `type` tells a skip that could have run (budget, rate-limit, ...) from one that does not apply.
    case 'skip':
      return `${open}>${props}\n      <skipped type="${xmlEscape(r.skipKind ?? 'other')}" message="${xmlEscape(r.reason ?? '')}"/>\n    </testcase>`;
    case 'not-applicable':
      return `${open}>${props}\n      <skipped type="not-applicable" message="${xmlEscape(`not applicable: ${r.reason ?? ''}`)}"/>\n    </testcase>`;
    case 'fail':
      return `${open}>${props}\n      <failure type="${r.severity}" message="${xmlEscape(`[${r.severity}, ${r.tier ?? 'contract'}] expected ${r.expected}; observed ${r.observed}`.slice(0, 1000))}">${xmlEscape(details(r))}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>${props}\n      <error type="${r.severity}" message="${xmlEscape((r.reason ?? '').slice(0, 1000))}">${xmlEscape(details(r))}</error>\n    </testcase>`;
  }
}

export function renderJunit(report: ConformanceReport, redactor: Redactor): string {
  const areas = [...new Set(report.results.map((r) => r.area))];
  const count = (rs: CheckResult[], s: CheckResult['status']) => rs.filter((r) => r.status === s).length;
  const suites = areas.map((area) => {
    const rs = report.results.filter((r) => r.area === area);
    const time = rs.reduce((s, r) => s + r.durationMs, 0);
    return [
      `  <testsuite name="${xmlEscape(area)}" tests="${rs.length}" failures="${count(rs, 'fail')}" errors="${count(rs, 'error')}" skipped="${count(rs, 'skip') + count(rs, 'not-applicable')}" time="${seconds(time)}">`,
      ...rs.map(testcase),
      '  </testsuite>',
    ].join('\n');
  });
  if (report.unreachable) {
    suites.push(
      `  <testsuite name="reachability" tests="1" failures="0" errors="1" skipped="0" time="0">\n    <testcase classname="imagegen-contract.reachability" name="reachability" time="0">\n      <error type="unreachable" message="${xmlEscape(report.unreachable)}"/>\n    </testcase>\n  </testsuite>`,
    );
  }
  // An incomplete run says so in CI: one testcase for the MUST checks that did not run (a failure under --require-all).
  const notRun = notRunText(report);
  let extra = 0;
  if (notRun && !report.unreachable) {
    extra = 1;
    const text = verdictLines(report).find((l) => l.tone === 'warn')?.text ?? notRun;
    const required = report.exitCode === 1 && report.summary.mustFailed === 0;
    const body = required ? `<failure type="MUST" message="${xmlEscape(text)}"/>` : `<skipped type="incomplete" message="${xmlEscape(text)}"/>`;
    suites.push(
      `  <testsuite name="verdict" tests="1" failures="${required ? 1 : 0}" errors="0" skipped="${required ? 0 : 1}" time="0">\n    <testcase classname="imagegen-contract.verdict" name="every-must-check-ran" time="0">\n      ${body}\n    </testcase>\n  </testsuite>`,
    );
  }
  const required = extra && report.exitCode === 1 && report.summary.mustFailed === 0 ? 1 : 0;
  const s = report.summary;
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(`imagegen-contract conformance (${report.target.profile}, ${report.target.baseUrl})`)}" tests="${s.total + (report.unreachable ? 1 : 0) + extra}" failures="${s.fail + required}" errors="${s.error + (report.unreachable ? 1 : 0)}" skipped="${s.skip + s.notApplicable + extra - required}" time="${seconds(report.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
  return redactor.redact(xml);
}

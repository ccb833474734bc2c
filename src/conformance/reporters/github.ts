// GitHub Actions workflow commands: one `::error` annotation per failed or errored MUST check,
// `::warning` for SHOULD checks, and a `::notice` with the totals. Escaped as the Actions toolkit
// does: in the message %, CR and LF; in a property value also ':' and ','.
import type { Redactor } from '../redact.js';
import type { CheckResult, ConformanceReport } from '../types.js';

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: 'error' | 'warning' | 'notice', title: string, message: string): string {
  return `::${kind} title=${escapeProperty(title)}::${escapeData(message)}`;
}

function message(r: CheckResult): string {
  const lines = [r.title];
  if (r.status === 'fail') lines.push(`expected: ${r.expected ?? ''}`, `observed: ${r.observed ?? ''}`);
  else lines.push(`error: ${r.reason ?? ''}`);
  lines.push(`rule: ${r.rule}`);
  if (r.note) lines.push(`note: ${r.note}`);
  if (r.curl) lines.push('reproduce:', r.curl);
  return lines.join('\n');
}

export function renderGithub(report: ConformanceReport, redactor: Redactor): string {
  const r = redactor.redactDeep(report);
  const out: string[] = [];
  if (r.unreachable) out.push(command('error', 'imagegen-contract: gateway unreachable', r.unreachable));
  for (const result of r.results) {
    if (result.status !== 'fail' && result.status !== 'error') continue;
    const kind = result.severity === 'MUST' ? 'error' : 'warning';
    out.push(command(kind, `${result.key} [${result.severity}${result.tier === 'fidelity' ? ', fidelity' : ''}]`, message(result)));
  }
  const s = r.summary;
  if (!r.unreachable)
    out.push(
      command(
        'notice',
        'imagegen-contract conformance',
        `${r.target.baseUrl} (${r.target.profile}): ${s.pass} passed, ${s.fail} failed, ${s.error} errors, ${s.skip} skipped, ${s.notApplicable} not applicable; ${s.mustFailed ? `${s.mustFailed} MUST check(s) failed` : 'every MUST check passed'}`,
      ),
    );
  return redactor.redact(`${out.join('\n')}\n`);
}

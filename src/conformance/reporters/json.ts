// The report as JSON (machine-readable; the report is redacted, and redacted again on the way out).
import type { Redactor } from '../redact.js';
import type { ConformanceReport } from '../types.js';

export function renderJson(report: ConformanceReport, redactor: Redactor): string {
  return `${redactor.redact(JSON.stringify(redactor.redactDeep(report), null, 2))}\n`;
}

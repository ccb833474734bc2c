// `conform --report FORMAT=PATH`: json, junit, html to a file; github (workflow commands) to stdout
// when given without a path (the Actions runner reads them from the step's log), or to a file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Redactor } from '../conformance/redact.js';
import { renderGithub } from '../conformance/reporters/github.js';
import { renderHtml } from '../conformance/reporters/html.js';
import { renderJson } from '../conformance/reporters/json.js';
import { renderJunit } from '../conformance/reporters/junit.js';
import type { ConformanceReport } from '../conformance/types.js';
import { UsageError } from './usage-error.js';

const RENDERERS = { json: renderJson, junit: renderJunit, html: renderHtml, github: renderGithub } as const;
export type ReportFormat = keyof typeof RENDERERS;
/** Formats that may go to stdout (no path). */
const STDOUT_FORMATS: ReportFormat[] = ['github'];

export interface ReportOutput {
  format: ReportFormat;
  /** undefined: stdout. */
  path?: string;
}

export function parseReport(raw: string): ReportOutput {
  const eq = raw.indexOf('=');
  const format = (eq < 0 ? raw : raw.slice(0, eq)) as ReportFormat;
  const path = eq < 0 ? undefined : raw.slice(eq + 1);
  const known = Object.hasOwn(RENDERERS, format);
  if (!known || path === '' || (path === undefined && !STDOUT_FORMATS.includes(format)))
    throw new UsageError(`--report must be json=PATH, junit=PATH, html=PATH or github[=PATH], got '${raw.slice(0, 80)}'`);
  return path === undefined ? { format } : { format, path };
}

/** Writes every report; a file that cannot be written is one line on stderr, not a lost run. */
export function writeReports(outputs: ReportOutput[], report: ConformanceReport, redactor: Redactor): void {
  for (const { format, path } of outputs) {
    const text = RENDERERS[format](report, redactor);
    if (path === undefined) {
      process.stdout.write(text);
      continue;
    }
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    } catch (error) {
      process.stderr.write(redactor.redact(`imagegen-contract: could not write the ${format} report to ${path}: ${(error as Error).message}\n`));
    }
  }
}

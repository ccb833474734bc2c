// Console output: the image plan before any image is made, one line per check as it finishes (a live
// "running …" line on a TTY), then a summary table and, for each failure, expected vs observed, the
// rule and a curl reproduction. Everything written goes through the redactor, and every text that may
// carry gateway words through `terminalSafe` (no escape sequence, CR or fake line of the gateway's).
import { terminalSafe } from '../../terminal/safe-text.js';
import type { Redactor } from '../redact.js';
import { RunProgress } from './progress.js';
import type { CheckResult, ConformanceReport, Plan, RunEvent, Status } from '../types.js';
import { attemptsText, verdictLines } from '../verdict.js';

export interface ConsoleOptions {
  /** Live progress and colours (default: stream.isTTY). */
  tty?: boolean;
  color?: boolean;
}

type Out = { write(chunk: string): unknown; isTTY?: boolean; columns?: number };

const GLYPH: Record<Status, string> = { pass: 'PASS ', fail: 'FAIL ', skip: 'SKIP ', error: 'ERROR', 'not-applicable': 'N/A  ' };
const COLOUR: Record<Status, string> = { pass: '32', fail: '31', skip: '90', error: '35', 'not-applicable': '90' };

export class ConsoleReporter {
  private readonly tty: boolean;
  private readonly color: boolean;
  private live = false;
  private progress: RunProgress | undefined;
  private running: { key: string; title: string } | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: Out,
    private readonly redactor: Redactor,
    options: ConsoleOptions = {},
  ) {
    this.tty = options.tty ?? Boolean(out.isTTY);
    this.color = options.color ?? (this.tty && !process.env.NO_COLOR);
  }

  private write(text: string): void {
    this.out.write(this.redactor.redact(text));
  }

  private paint(code: string, text: string): string {
    return this.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }

  private clearLive(): void {
    if (this.live) this.out.write('\r\x1b[2K');
    this.live = false;
  }

  readonly onEvent = (event: RunEvent): void => {
    if (event.type === 'note') this.write(`note: ${terminalSafe(event.message)}\n`);
    else if (event.type === 'plan') {
      this.write(formatPlan(event.plan));
      if (event.checks) this.progress = new RunProgress(event.checks, event.plan.images);
    } else if (event.type === 'start') {
      if (!this.tty) return;
      this.running = { key: event.key, title: event.title };
      this.drawLive();
      // A long generation keeps the ETA counting down.
      this.ticker ??= setInterval(() => this.drawLive(), 1000).unref();
    } else {
      this.progress?.record(event.imagesMade);
      this.clearLive();
      this.write(`${this.line(event.result)}\n`);
      if (this.running?.key === event.result.key) this.running = undefined;
      else if (this.tty) this.drawLive();
    }
  };

  /** The live line (TTY only): `[n/N] ETA … key title`, cut to the terminal width. */
  private drawLive(): void {
    if (!this.running) return;
    this.clearLive();
    const width = Math.max(40, (this.out.columns ?? 100) - 1);
    const counter = this.progress ? `${this.progress.label()}  ` : '… ';
    const text = `${counter}${this.running.key}  ${this.running.title}`.replace(/\s*[\r\n\t]+\s*/g, ' ');
    this.write(text.length > width ? `${text.slice(0, width - 1)}…` : text);
    this.live = true;
  }

  line(r: CheckResult): string {
    const detail = r.status === 'pass' ? r.observed : r.status === 'fail' ? `expected ${r.expected}; observed ${r.observed}` : r.reason;
    const flaky = r.flaky ? ` [flaky: ${r.attempts?.length ?? 0} attempts]` : '';
    const marks = [r.severity === 'SHOULD' ? 'SHOULD' : '', r.tier === 'fidelity' ? 'fidelity' : ''].filter(Boolean).join(', ');
    // Redacted whole and made terminal-safe before the line is cut, so the cut cannot split a key.
    const text = `${GLYPH[r.status]} ${terminalSafe(r.key)}${marks ? ` (${marks})` : ''}  ${oneLine(terminalSafe(this.redactor.redact(detail ?? '')), 160)}${flaky}`;
    return this.paint(COLOUR[r.status], text);
  }

  /** Summary table and failure details (call once at the end). */
  finish(report: ConformanceReport): void {
    clearInterval(this.ticker);
    this.running = undefined;
    this.clearLive();
    this.write(formatSummary(report, (c, t) => this.paint(c, t)));
  }
}

export function formatPlan(plan: Plan): string {
  const caps = `--max-images ${plan.maxImages}${plan.maxUsd !== undefined ? `, --max-cost ${plan.maxUsd}` : ''}`;
  const all =
    plan.imagesForAll !== undefined && plan.imagesForAll > plan.images
      ? `Running every applicable check would take ${plan.imagesForAll} image(s)${plan.usdForAll ? ` (≈ $${plan.usdForAll.toFixed(3)} at known prices)` : ''}: --max-images ${plan.imagesForAll}.\n`
      : '';
  if (plan.images === 0) return `No images will be made (${caps}).\n${all}`;
  const price = `≈ $${plan.usd.toFixed(3)}${plan.unknownPriceImages ? ` + ${plan.unknownPriceImages} image(s) at unknown price` : ''}`;
  const lines = plan.lines.map((l) => `  ${l.model.padEnd(24)} ${l.generation.padEnd(17)} ${String(l.images).padStart(3)} × ${l.usdPerImage === undefined ? 'unknown price' : `$${l.usdPerImage.toFixed(3)}`}`);
  return `This run will make ${plan.images} image(s) (${price}; cap ${caps}):\n${lines.join('\n')}\n${all}`;
}

export function formatSummary(report: ConformanceReport, paint: (code: string, text: string) => string = (_c, t) => t): string {
  const out: string[] = [''];
  if (report.unreachable) {
    out.push(paint('31', terminalSafe(report.unreachable)));
    return `${out.join('\n')}\n`;
  }
  const areas = [...new Set(report.results.map((r) => r.area))];
  const header = `${'area'.padEnd(14)} ${'pass'.padStart(5)} ${'fail'.padStart(5)} ${'error'.padStart(5)} ${'skip'.padStart(5)} ${'n/a'.padStart(5)}`;
  out.push(header, '-'.repeat(header.length));
  for (const area of areas) {
    const rs = report.results.filter((r) => r.area === area);
    const n = (s: Status) => String(rs.filter((r) => r.status === s).length).padStart(5);
    out.push(`${area.padEnd(14)} ${n('pass')} ${n('fail')} ${n('error')} ${n('skip')} ${n('not-applicable')}`);
  }
  const s = report.summary;
  out.push('-'.repeat(header.length), `${'total'.padEnd(14)} ${String(s.pass).padStart(5)} ${String(s.fail).padStart(5)} ${String(s.error).padStart(5)} ${String(s.skip).padStart(5)} ${String(s.notApplicable).padStart(5)}`);
  const bad = report.results.filter((r) => r.status === 'fail' || r.status === 'error');
  for (const r of bad) {
    const t = (text: string | undefined) => terminalSafe(text ?? '');
    out.push('', paint(COLOUR[r.status], `${GLYPH[r.status]} ${t(r.key)} [${r.severity}${r.tier === 'fidelity' ? ', fidelity' : ''}] ${t(r.title)}`));
    out.push(`  rule:      ${r.rule}`);
    if (r.status === 'fail') out.push(`  expected:  ${t(r.expected)}`, `  observed:  ${t(r.observed)}`);
    else out.push(`  error:     ${t(r.reason)}`);
    if (r.note) out.push(`  note:      ${t(r.note)}`);
    if (r.attempts?.length) out.push(`  attempts:  ${t(attemptsText(r))}`);
    if (r.curl) out.push('  reproduce:', ...r.curl.split('\n').map((l) => `    ${t(l)}`));
  }
  const tone = { good: '32', bad: '31', warn: '33' } as const;
  out.push(
    '',
    `${report.imagesMade} image(s) made; ${s.pass} passed, ${s.fail} failed, ${s.error} errors, ${s.skip} skipped, ${s.notApplicable} not applicable in ${(report.durationMs / 1000).toFixed(1)}s.`,
    ...verdictLines(report).map((l) => paint(tone[l.tone], l.text)),
  );
  return `${out.join('\n')}\n`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

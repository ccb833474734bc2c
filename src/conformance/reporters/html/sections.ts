// The report's sections: the verdict, counts per area, failures (each with expected/observed, rule,
// tier, severity, curl and its images) and the collapsed lists of passes, not-applicable checks and
// skips (grouped by why they did not run).
import type { ExchangeRecord } from '../../http.js';
import type { CheckResult, ConformanceReport, ImageSample, SkipKind, Status } from '../../types.js';
import { anchorOf, htmlEscape, inlineMarkdown } from './escape.js';
import { figure, groupId, imagesOf } from './gallery.js';

const STATUS_ORDER: Status[] = ['fail', 'error', 'pass', 'skip', 'not-applicable'];
const STATUS_LABEL: Record<Status, string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skip: 'SKIP', 'not-applicable': 'N/A' };
const SKIP_KIND_LABEL: Record<SkipKind, string> = {
  budget: 'image budget (--max-images) used up',
  'rate-limit': 'rate limited',
  deadline: 'run deadline reached',
  interrupted: 'run interrupted',
  'opt-in': 'opt-in (needs a trigger or a long wait: see the reason)',
  other: 'could not run',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function verdictSection(r: ConformanceReport): string {
  const s = r.summary;
  if (r.unreachable) return `<header class="verdict unreachable"><div class="word">NO RUN</div><div><div class="line">${htmlEscape(r.unreachable)}</div><div class="sub">No check ran.</div></div></header>`;
  const failed = s.mustFailed > 0;
  const line = failed
    ? `${plural(s.mustFailed, 'MUST check')} failed${s.shouldFailed ? `, ${plural(s.shouldFailed, 'SHOULD check')} failed` : ''}`
    : `Every MUST check that ran passed${s.shouldFailed ? ` (${plural(s.shouldFailed, 'SHOULD check')} failed)` : ''}`;
  const notRun = Object.entries(s.mustNotRun).map(([kind, n]) => `${plural(n ?? 0, 'MUST check')} not run (${SKIP_KIND_LABEL[kind as SkipKind] ?? kind})`);
  const sub = [`${s.pass} passed`, `${s.fail} failed`, `${s.error} errors`, `${s.skip} skipped`, `${s.notApplicable} not applicable`, ...notRun].join(' · ');
  return `<header class="verdict ${failed ? 'fail' : 'pass'}"><div class="word">${failed ? 'FAIL' : 'PASS'}</div><div><div class="line">${htmlEscape(line)}</div><div class="sub">${htmlEscape(sub)}</div></div></header>`;
}

export function areasSection(results: CheckResult[]): string {
  const areas = [...new Set(results.map((r) => r.area))];
  if (!areas.length) return '';
  const rows = areas.map((area) => {
    const rs = results.filter((r) => r.area === area);
    const n = (st: Status) => rs.filter((r) => r.status === st).length;
    const bar = STATUS_ORDER.filter((st) => n(st)).map((st) => `<i class="${st}" style="width:${((100 * n(st)) / rs.length).toFixed(2)}%" title="${n(st)} ${st}"></i>`);
    const cell = (st: Status) => `<td class="n${n(st) ? ` ${st === 'pass' || st === 'fail' || st === 'error' ? st : ''}` : ' zero'}">${n(st)}</td>`;
    return `<tr><td><button type="button" data-area="${htmlEscape(area)}" title="show only ${htmlEscape(area)}">${htmlEscape(area)}</button></td><td class="barcell"><div class="bar">${bar.join('')}</div></td>${cell('fail')}${cell('error')}${cell('pass')}${cell('skip')}${cell('not-applicable')}</tr>`;
  });
  return `<section id="areas"><h2>By area</h2><table class="areas"><thead><tr><th>area</th><th class="barcol"></th><th class="n">fail</th><th class="n">error</th><th class="n">pass</th><th class="n">skip</th><th class="n">n/a</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

export function filterBar(results: CheckResult[]): string {
  const areas = [...new Set(results.map((r) => r.area))];
  const count = (st: Status) => results.filter((r) => r.status === st).length;
  const boxes = STATUS_ORDER.filter((st) => count(st)).map(
    (st) => `<label><input type="checkbox" value="${st}" checked> <span class="dot ${st}"></span> ${st === 'not-applicable' ? 'not applicable' : st} (${count(st)})</label>`,
  );
  return `<form class="filter" id="filter" hidden><strong>Filter</strong>${boxes.join('')}<label>area <select id="filter-area"><option value="">all</option>${areas.map((a) => `<option>${htmlEscape(a)}</option>`).join('')}</select></label><span class="shown" id="filter-shown"></span></form>`;
}

function tags(r: CheckResult): string {
  const out = [`<span class="badge ${r.status}">${STATUS_LABEL[r.status]}</span>`, `<span class="tag${r.severity === 'MUST' ? ' must' : ''}">${r.severity}</span>`, `<span class="tag">${htmlEscape(r.tier ?? 'contract')}</span>`];
  if (r.flaky) out.push(`<span class="tag flaky">flaky: ${r.attempts?.length ?? 'several'} attempts</span>`);
  return out.join(' ');
}

function exchangeBlock(e: ExchangeRecord): string {
  const req = [`${e.method} ${e.url}`, ...Object.entries(e.requestHeaders).map(([k, v]) => `${k}: ${v}`)].join('\n');
  const res = e.status !== undefined ? [`HTTP ${e.status}`, ...Object.entries(e.responseHeaders ?? {}).map(([k, v]) => `${k}: ${v}`)].join('\n') : `no answer: ${e.error?.message ?? ''}`;
  return `<details><summary>exchange #${e.seq}: ${htmlEscape(e.label)} → ${htmlEscape(e.status !== undefined ? String(e.status) : e.error?.kind ?? 'error')}</summary>
<pre>${htmlEscape(req)}${e.requestBody ? `\n\n${htmlEscape(e.requestBody)}` : ''}</pre>
<pre>${htmlEscape(res)}${e.responseBody ? `\n\n${htmlEscape(e.responseBody)}` : ''}${e.error && e.status !== undefined ? `\n\n(${htmlEscape(e.error.message)})` : ''}</pre></details>`;
}

/** A failed or errored check: everything needed to act on it, the expectation once. */
export function failureCard(r: CheckResult, exchanges: Map<number, ExchangeRecord>, images: ImageSample[]): string {
  const facts: string[] = [];
  if (r.status === 'fail') {
    facts.push(`<dt>expected</dt><dd>${inlineMarkdown(r.expected ?? '')}</dd>`, `<dt>observed</dt><dd class="observed">${htmlEscape(r.observed ?? '')}</dd>`);
  } else facts.push(`<dt>error</dt><dd class="observed">${htmlEscape(r.reason ?? '')}</dd>`);
  facts.push(`<dt>rule</dt><dd>${inlineMarkdown(r.rule)}</dd>`);
  if (r.model) facts.push(`<dt>model</dt><dd><code>${htmlEscape(r.model)}</code></dd>`);
  if (r.note) facts.push(`<dt>note</dt><dd>${inlineMarkdown(r.note)}</dd>`);
  const own = imagesOf(r, images);
  const recorded = r.exchanges.map((seq) => exchanges.get(seq)).filter((e): e is ExchangeRecord => Boolean(e));
  return `<article class="card ${r.status}${r.severity === 'SHOULD' ? ' should' : ''}" id="${anchorOf(r.key)}" data-status="${r.status}" data-area="${htmlEscape(r.area)}">
<header>${tags(r)} <span class="key">${htmlEscape(r.key)}</span></header>
<div class="title">${inlineMarkdown(r.title)}</div>
<div class="body"><dl class="facts">${facts.join('')}</dl>${own.length ? `<div class="thumbs">${own.map(figure).join('')}</div>` : ''}</div>
${r.curl ? `<details open><summary>reproduce with curl</summary><pre>${htmlEscape(r.curl)}</pre></details>` : ''}
${recorded.length ? `<div class="exchanges">${recorded.slice(0, 6).map(exchangeBlock).join('')}${recorded.length > 6 ? `<p class="meta">${recorded.length - 6} more exchange(s) in the JSON report.</p>` : ''}</div>` : ''}
</article>`;
}

export function failuresSection(results: CheckResult[], exchanges: Map<number, ExchangeRecord>, images: ImageSample[]): string {
  const bad = results.filter((r) => r.status === 'fail' || r.status === 'error');
  if (!bad.length) return '';
  // MUST before SHOULD, then registry order.
  const sorted = [...bad.filter((r) => r.severity === 'MUST'), ...bad.filter((r) => r.severity !== 'MUST')];
  return `<section id="failures" data-filterable><h2>Failures (${bad.length})</h2>${sorted.map((r) => failureCard(r, exchanges, images)).join('\n')}</section>`;
}

function row(r: CheckResult, images: ImageSample[]): string {
  const detail = r.status === 'pass' ? r.observed : r.reason;
  const own = imagesOf(r, images);
  const imgLink = own.length ? ` <a class="imgs" href="#${groupId(own[0]!)}">${plural(own.length, 'image')} ↓</a>` : '';
  return `<div class="row" id="${anchorOf(r.key)}" data-status="${r.status}" data-area="${htmlEscape(r.area)}"><div><span class="key">${htmlEscape(r.key)}</span><br>${tags(r)}</div><div class="what">${inlineMarkdown(r.title)}${imgLink}<div class="detail">${htmlEscape(detail ?? '')}</div></div></div>`;
}

function byArea(rs: CheckResult[], images: ImageSample[]): string {
  const areas = [...new Set(rs.map((r) => r.area))];
  return areas.map((a) => `<div class="sub-group" data-filterable><h3>${htmlEscape(a)}</h3>${rs.filter((r) => r.area === a).map((r) => row(r, images)).join('')}</div>`).join('');
}

/** Passes, not-applicable checks and skips: collapsed, each apart; skips grouped by why. */
export function collapsedSections(results: CheckResult[], images: ImageSample[]): string {
  const passed = results.filter((r) => r.status === 'pass');
  const na = results.filter((r) => r.status === 'not-applicable');
  const skipped = results.filter((r) => r.status === 'skip');
  const out: string[] = [];
  if (passed.length) out.push(`<section id="passed" data-filterable><details class="group"><summary>Passed <span class="count">(${passed.length})</span></summary>${byArea(passed, images)}</details></section>`);
  if (skipped.length) {
    const kinds = [...new Set(skipped.map((r) => r.skipKind ?? 'other'))];
    const groups = kinds.map(
      (k) => `<div class="sub-group" data-filterable><h3>${htmlEscape(SKIP_KIND_LABEL[k] ?? k)}</h3>${skipped.filter((r) => (r.skipKind ?? 'other') === k).map((r) => row(r, images)).join('')}</div>`,
    );
    out.push(`<section id="skipped" data-filterable><details class="group"><summary>Skipped: applies but did not run <span class="count">(${skipped.length})</span></summary>${groups.join('')}</details></section>`);
  }
  if (na.length) out.push(`<section id="not-applicable" data-filterable><details class="group"><summary>Not applicable to this gateway or model <span class="count">(${na.length})</span></summary>${byArea(na, images)}</details></section>`);
  return out.join('\n');
}

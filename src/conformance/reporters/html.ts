// A self-contained HTML report: inline CSS, no script, a CSP that allows nothing but inline styles
// and data: images, every text escaped; thumbnails of the images the gateway returned as data: URLs.
import type { Redactor } from '../redact.js';
import type { ExchangeRecord as ExchangeRecordLike } from '../http.js';
import type { CheckResult, ConformanceReport, Status } from '../types.js';

export function htmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#1b1f24;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.meta{color:#57606a;margin-bottom:12px}.meta code{background:#f6f8fa;padding:1px 4px;border-radius:3px}
.counts span{display:inline-block;margin-right:14px;font-weight:600}
.pass{color:#1a7f37}.fail{color:#cf222e}.error{color:#8250df}.skip{color:#6e7781}.not-applicable{color:#6e7781}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #d0d7de;vertical-align:top}
th{background:#f6f8fa;font-weight:600}td.st{font-weight:700;white-space:nowrap}td.id{font-family:ui-monospace,monospace;white-space:nowrap}
tr.fail td,tr.error td{background:#fff5f5}
details{margin:2px 0}summary{cursor:pointer;color:#0969da}
pre{background:#f6f8fa;padding:8px;overflow:auto;white-space:pre-wrap;word-break:break-all;max-height:360px;margin:4px 0}
dl{margin:4px 0}dt{font-weight:600;color:#57606a}dd{margin:0 0 6px 0}
.gallery{display:flex;flex-wrap:wrap;gap:12px}.gallery figure{margin:0;border:1px solid #d0d7de;padding:6px;border-radius:4px;max-width:180px}
.gallery img{display:block;max-width:160px;max-height:160px;background:repeating-conic-gradient(#ddd 0 25%,#fff 0 50%) 0 0/16px 16px}
.gallery figcaption{font-size:12px;color:#57606a;word-break:break-all}
`;

function statusCell(s: Status): string {
  return `<td class="st ${s}">${s.toUpperCase()}</td>`;
}

function exchangeBlock(e: ExchangeRecordLike): string {
  const req = [`${e.method} ${e.url}`, ...Object.entries(e.requestHeaders).map(([k, v]) => `${k}: ${v}`)].join('\n');
  const res = e.status !== undefined ? [`HTTP ${e.status}`, ...Object.entries(e.responseHeaders ?? {}).map(([k, v]) => `${k}: ${v}`)].join('\n') : `no answer: ${e.error?.message ?? ''}`;
  return `<details><summary>#${e.seq} ${htmlEscape(e.label)} → ${htmlEscape(e.status !== undefined ? String(e.status) : e.error?.kind ?? 'error')}</summary>
<pre>${htmlEscape(req)}${e.requestBody ? `\n\n${htmlEscape(e.requestBody)}` : ''}</pre>
<pre>${htmlEscape(res)}${e.responseBody ? `\n\n${htmlEscape(e.responseBody)}` : ''}${e.error && e.status !== undefined ? `\n\n(${htmlEscape(e.error.message)})` : ''}</pre></details>`;
}

function resultRow(r: CheckResult, exchanges: Map<number, ExchangeRecordLike>): string {
  const detail =
    r.status === 'pass' ? htmlEscape(r.observed ?? '') : r.status === 'skip' || r.status === 'not-applicable' ? htmlEscape(r.reason ?? '') : r.status === 'error' ? htmlEscape(r.reason ?? '') : htmlEscape(`expected ${r.expected}`);
  const extra: string[] = [];
  if (r.status === 'fail' || r.status === 'error') {
    const dl = [`<dt>rule</dt><dd>${htmlEscape(r.rule)}</dd>`];
    if (r.expected !== undefined) dl.push(`<dt>expected</dt><dd>${htmlEscape(r.expected)}</dd>`);
    if (r.observed !== undefined) dl.push(`<dt>observed</dt><dd>${htmlEscape(r.observed)}</dd>`);
    if (r.note) dl.push(`<dt>note</dt><dd>${htmlEscape(r.note)}</dd>`);
    extra.push(`<dl>${dl.join('')}</dl>`);
    if (r.curl) extra.push(`<details open><summary>reproduce</summary><pre>${htmlEscape(r.curl)}</pre></details>`);
    for (const seq of r.exchanges.slice(0, 4)) {
      const e = exchanges.get(seq);
      if (e) extra.push(exchangeBlock(e));
    }
  }
  return `<tr class="${r.status}">${statusCell(r.status)}<td class="id">${htmlEscape(r.key)}</td><td>${htmlEscape(r.severity)}</td><td>${htmlEscape(r.title)}<br><small>${detail}</small>${extra.join('')}</td></tr>`;
}

export function renderHtml(report: ConformanceReport, redactor: Redactor): string {
  const r = redactor.redactDeep(report);
  const exchanges = new Map(r.exchanges.map((e) => [e.seq, e]));
  const s = r.summary;
  const models = r.target.models.map((m) => (m.catalogueId && m.catalogueId !== m.name ? `${m.name} (${m.catalogueId})` : m.name)).join(', ');
  const images = r.images
    .map((img) => {
      const safe = /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/.test(img.dataUrl) ? img.dataUrl : '';
      return `<figure><img src="${safe}" alt="${htmlEscape(img.label)}"><figcaption>${htmlEscape(`${img.label}: ${img.format} ${img.width}x${img.height}`)}</figcaption></figure>`;
    })
    .join('\n');
  const failures = r.results.filter((x) => x.status === 'fail' || x.status === 'error');
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(`Conformance: ${r.target.baseUrl}`)}</title>
<style>${CSS}</style></head><body>
<h1>imagegen-contract conformance report</h1>
<div class="meta">Gateway <code>${htmlEscape(r.target.baseUrl)}</code> · profile <code>${htmlEscape(r.target.profile)}</code> · models ${htmlEscape(models)} · ${htmlEscape(r.startedAt)} · ${(r.durationMs / 1000).toFixed(1)} s · ${r.imagesMade} image(s) made (planned ${r.plan.images}, ≈ $${r.plan.usd.toFixed(3)}${r.plan.unknownPriceImages ? ` + ${r.plan.unknownPriceImages} at unknown price` : ''}, cap ${r.plan.maxImages}) · ${htmlEscape(`${r.tool.name} ${r.tool.version}`)}</div>
${r.unreachable ? `<p class="fail">${htmlEscape(r.unreachable)}</p>` : ''}
${r.notes.map((n) => `<p class="meta">note: ${htmlEscape(n)}</p>`).join('\n')}
<div class="counts"><span class="pass">${s.pass} passed</span><span class="fail">${s.fail} failed</span><span class="error">${s.error} errors</span><span class="skip">${s.skip} skipped</span><span class="not-applicable">${s.notApplicable} not applicable</span><span>${s.mustFailed ? `<span class="fail">${s.mustFailed} MUST failed</span>` : '<span class="pass">every MUST check passed</span>'}</span></div>
${failures.length ? `<h2>Failures</h2><table><tr><th>status</th><th>check</th><th>severity</th><th>details</th></tr>${failures.map((x) => resultRow(x, exchanges)).join('\n')}</table>` : ''}
<h2>All checks</h2>
<table><tr><th>status</th><th>check</th><th>severity</th><th>details</th></tr>
${r.results.map((x) => resultRow({ ...x, curl: undefined, exchanges: [] } as CheckResult, exchanges)).join('\n')}
</table>
${images ? `<h2>Images the gateway returned</h2><div class="gallery">${images}</div>` : ''}
</body></html>
`;
  return redactor.redact(body);
}

// A self-contained HTML report a person reads: the verdict and counts per area first, then the
// failures with everything needed to act on them, the images the run made beside the checks that
// read them, and the passes, skips and not-applicable checks collapsed. Inline CSS and one inline
// script allowed by its hash; no external URL; every text escaped.
import { createHash } from 'node:crypto';
import type { Redactor } from '../../redact.js';
import type { ConformanceReport } from '../../types.js';
import { htmlEscape } from './escape.js';
import { FILTER_SCRIPT } from './filter-script.js';
import { gallerySection } from './gallery.js';
import { areasSection, collapsedSections, failuresSection, filterBar, verdictSection } from './sections.js';
import { CSS } from './styles.js';

export { htmlEscape, inlineMarkdown } from './escape.js';

const SCRIPT_HASH = `sha256-${createHash('sha256').update(FILTER_SCRIPT).digest('base64')}`;

function metaLine(r: ConformanceReport): string {
  const models = r.target.models.map((m) => (m.catalogueId && m.catalogueId !== m.name ? `${m.name} (${m.catalogueId})` : m.name));
  const price = `≈ $${r.plan.usd.toFixed(3)}${r.plan.unknownPriceImages ? ` + ${r.plan.unknownPriceImages} at unknown price` : ''}`;
  return [
    `gateway <code>${htmlEscape(r.target.baseUrl)}</code>`,
    `profile <code>${htmlEscape(r.target.profile)}</code>`,
    `models ${models.map((m) => `<code>${htmlEscape(m)}</code>`).join(', ')}`,
    `${r.imagesMade} image(s) made (planned ${r.plan.images}, ${price}, cap ${r.plan.maxImages})`,
    `${htmlEscape(r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}, ${(r.durationMs / 1000).toFixed(1)} s`,
    htmlEscape(`${r.tool.name} ${r.tool.version}`),
  ].join(' · ');
}

export function renderHtml(report: ConformanceReport, redactor: Redactor): string {
  const r = redactor.redactDeep(report);
  const exchanges = new Map(r.exchanges.map((e) => [e.seq, e]));
  const notes = r.notes.length ? `<ul class="notes">${r.notes.map((n) => `<li>${htmlEscape(n)}</li>`).join('')}</ul>` : '';
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(`${r.unreachable ? 'NO RUN' : r.summary.mustFailed ? 'FAIL' : 'PASS'} · conformance of ${r.target.baseUrl}`)}</title>
<style>${CSS}</style></head><body><main>
<h1>imagegen-contract conformance report</h1>
${verdictSection(r)}
<p class="meta">${metaLine(r)}</p>
${notes}
${areasSection(r.results)}
${filterBar(r.results)}
${failuresSection(r.results, exchanges, r.images)}
${gallerySection(r.images, r.results, exchanges, r.imagesNotShown ?? 0)}
${collapsedSections(r.results, r.images)}
<footer>Every request and answer of the run is in the JSON report (<code>--report json=PATH</code>). The API key never appears in a report.</footer>
</main><script>${FILTER_SCRIPT}</script></body></html>
`;
  return redactor.redact(body);
}

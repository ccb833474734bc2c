// The HTML report in a real browser (Debian's chromium through playwright-core, no browser
// download): a run against a deliberately broken gateway (sizes ignored, any key accepted, a missing
// prompt answered 500) must read well: nothing wider than the window, every image the run made
// visible and labelled with its real size and format, the filter hiding what it should, no raw
// Markdown, nothing loaded from outside. Screenshots land in test-results/html-report/.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type ConformanceReport } from '../../src/conformance/index.js';
import { Redactor } from '../../src/conformance/redact.js';
import { renderHtml } from '../../src/conformance/reporters/html.js';
import { DEFECTS } from '../broken-gateways/defects.js';
import { GATEWAY_KEY, startGateway } from '../broken-gateways/harness.js';
import { chain, type Middleware } from '../broken-gateways/interposer.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = fileURLToPath(new URL('../../test-results/html-report/', import.meta.url));
const defect = (id: string): Middleware => DEFECTS.find((d) => d.id === id)!.apply;

let report: ConformanceReport;
let file: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the HTML report's browser test needs Debian's chromium (apt-get install -y chromium; .ci/run installs it)`);
  const gateway = await startGateway({}, chain(defect('size-ignored'), chain(defect('any-api-key'), defect('litellm-missing-prompt-500'))));
  try {
    report = await runConformance({ baseUrl: gateway.url, apiKey: GATEWAY_KEY, models: ['dall-e-2', 'gpt-image-1'], maxImages: 20 });
  } finally {
    await gateway.close();
  }
  mkdirSync(OUT, { recursive: true });
  file = join(OUT, 'report.html');
  writeFileSync(file, renderHtml(report, new Redactor([GATEWAY_KEY])));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

async function open(width: number, expand = false): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`request to ${r.url()}`);
  });
  await page.goto(`file://${file}`);
  if (expand) await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
  return { page, problems };
}

/** Elements whose box reaches past the right edge of the window (or the page scrolls sideways). */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page scrollWidth ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.right > window.innerWidth + 0.5 || box.left < -0.5) out.push(`${el.tagName.toLowerCase()}.${(el as HTMLElement).className} ${Math.round(box.left)}..${Math.round(box.right)}: ${(el.textContent ?? '').slice(0, 60)}`);
    }
    return out.slice(0, 10);
  });
}

describe('the HTML report of a run with failures, in chromium', { timeout: 60_000 }, () => {
  it('the run is what the test needs: failures, skips, not-applicable checks and images', () => {
    expect(report.summary.mustFailed).toBeGreaterThanOrEqual(3);
    expect(report.summary.skip).toBeGreaterThan(0);
    expect(report.summary.notApplicable).toBeGreaterThan(0);
    // The budgeted generations, plus what the broken gateway made for requests it should have refused.
    expect(report.images.length).toBeGreaterThan(report.imagesMade);
    const refused = new Set(report.results.filter((r) => r.status === 'fail' && /^(auth|negative)\./.test(r.id)).map((r) => r.key));
    expect(report.images.some((s) => s.checks?.some((k) => refused.has(k)))).toBe(true);
    expect(report.imagesNotShown ?? 0).toBe(0);
    expect(report.results.find((r) => r.id === 'auth.wrong-key')?.status).toBe('fail');
  });

  it.each([1280, 390])('nothing is wider than a %i px window, with every section expanded', async (width) => {
    const { page, problems } = await open(width, true);
    expect(await overflowing(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('leads with the verdict and the areas; failures come first, each with the expectation once, rule, tier, severity and curl', async () => {
    const { page } = await open(1280);
    const order = await page.evaluate(() => Array.from(document.querySelectorAll('main > header, main > section, main > form')).map((e) => e.id || e.className));
    expect(order.slice(0, 5)).toEqual(['verdict fail', 'areas', 'filter', 'failures', 'images']);
    expect(await page.textContent('.verdict')).toMatch(/FAIL\s*\d+ MUST checks failed/);
    const cards = await page.$$eval('#failures article', (els) =>
      els.map((el) => ({ text: (el as HTMLElement).innerText, tags: Array.from(el.querySelectorAll('header .badge, header .tag')).map((t) => t.textContent) })),
    );
    const failed = report.results.filter((r) => r.status === 'fail');
    expect(cards).toHaveLength(failed.length);
    for (const [i, card] of cards.entries()) {
      const r = failed.find((f) => card.text.includes(f.key))!;
      expect(r, card.text.slice(0, 80)).toBeDefined();
      expect(card.tags, r.key).toEqual(['FAIL', r.severity, r.tier ?? 'contract']);
      expect(card.text.split('\nexpected\n').length - 1, `${r.key}: expected shown once`).toBe(1);
      expect(card.text).toMatch(/\nobserved\n/);
      expect(card.text).toMatch(/\nrule\n/);
      if (r.curl) expect(card.text).toContain('curl -sS');
      expect(card.text, `card ${i}`).not.toContain('`');
    }
    const wrongKey = cards.find((c) => c.text.includes('auth.wrong-key'))!;
    expect(wrongKey.text).toContain('credentials');
    expect(wrongKey.text).not.toMatch(/dropping|clamping/);
    await page.close();
  });

  it('shows every image the run made, visible and labelled with its model and the size and format of its bytes, beside its checks', async () => {
    const { page } = await open(1280, true);
    const figures = await page.$$eval('#images figure', (els) =>
      els.map((f) => {
        const img = f.querySelector('img')!;
        const box = img.getBoundingClientRect();
        return { ok: img.complete && img.naturalWidth > 0, w: box.width, h: box.height, alt: img.alt, caption: (f.querySelector('figcaption') as HTMLElement).innerText, block: f.closest('.gen')!.id, readBy: Array.from(f.closest('.gen')!.querySelectorAll('.used a')).map((a) => a.textContent) };
      }),
    );
    expect(figures).toHaveLength(report.images.length);
    for (const [i, f] of figures.entries()) {
      const sample = report.images[i]!;
      expect(f.ok && f.w > 20 && f.h > 20, `image ${i} visible`).toBe(true);
      expect(f.alt).toBe(`${sample.model}${sample.modelFrom === 'default' ? ' (default; request named no model)' : ''} · ${sample.width}×${sample.height} · ${sample.format.toUpperCase()}`);
      expect(f.caption).toContain(`${sample.width}×${sample.height} ${sample.format.toUpperCase()}`);
      expect(f.readBy.length, `${f.block} names the checks that read it`).toBeGreaterThan(0);
    }
    // The defect drops `size`: a dall-e-2 request for 256x256 returns 1024x1024, and the label says so.
    const baseline = report.images.find((s) => s.generation === 'baseline' && s.model === 'dall-e-2')!;
    expect(baseline.width).toBe(1024);
    // A failing check shows its images in its own card too.
    expect(await page.$$eval('[id="check-images.dimensions_dall-e-2_"] figure img', (els) => els.length)).toBeGreaterThan(0);
    await page.close();
  });

  it('the filter hides what it should, by status and by area', async () => {
    const { page } = await open(1280);
    const visible = (status: string) => page.$$eval(`[data-status="${status}"]`, (els) => els.filter((e) => !(e as HTMLElement).hidden && !e.closest('[hidden]')).length);
    const count = (status: string) => report.results.filter((r) => r.status === status).length;
    expect(await page.isVisible('#filter')).toBe(true);
    expect(await visible('fail')).toBe(count('fail'));
    await page.uncheck('#filter input[value="fail"]');
    expect(await visible('fail')).toBe(0);
    expect(await page.isVisible('#failures')).toBe(false);
    expect(await page.textContent('#filter-shown')).toBe(`showing ${report.results.length - count('fail')} of ${report.results.length} checks`);
    await page.check('#filter input[value="fail"]');
    await page.selectOption('#filter-area', 'auth');
    const areas = await page.$$eval('[data-status]', (els) => [...new Set(els.filter((e) => !(e as HTMLElement).hidden).map((e) => e.getAttribute('data-area')))]);
    expect(areas).toEqual(['auth']);
    await page.selectOption('#filter-area', 'models-list');
    expect(await page.isVisible('#failures')).toBe(false);
    // Clicking an area in the table filters to it.
    await page.click('#areas button[data-area="images"]');
    expect(await page.inputValue('#filter-area')).toBe('images');
    await page.close();
  });

  it('is self-contained: no external URL in any attribute, the script runs under the CSP; saves screenshots', async () => {
    const { page, problems } = await open(1280);
    const urls = await page.$$eval('[src], [href]', (els) => els.map((e) => e.getAttribute('src') ?? e.getAttribute('href') ?? ''));
    expect(urls.filter((u) => !u.startsWith('data:image/') && !u.startsWith('#'))).toEqual([]);
    await page.screenshot({ path: join(OUT, 'report.png'), fullPage: true });
    await page.screenshot({ path: join(OUT, 'report-top.png') });
    const phone = await open(390);
    await phone.page.screenshot({ path: join(OUT, 'report-390px.png') });
    expect([...problems, ...phone.problems]).toEqual([]);
    expect(existsSync(join(OUT, 'report.png'))).toBe(true);
    await page.close();
    await phone.page.close();
  });
});

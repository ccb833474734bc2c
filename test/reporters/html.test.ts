// The HTML report's text handling without a browser: Markdown in titles and rules rendered, gateway
// text escaped (never markup), images labelled from their bytes, the script allowed by its CSP hash.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/conformance/redact.js';
import { inlineMarkdown, renderHtml } from '../../src/conformance/reporters/html.js';
import { imageCaption } from '../../src/conformance/reporters/html/gallery.js';
import { reportOf, result } from './fixtures.js';

const PNG_1PX = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('inlineMarkdown', () => {
  it('renders `code`, **bold** and link text; escapes everything else', () => {
    expect(inlineMarkdown('A `prompt` over **4000** chars, see [docs](https://x.example/) <b>&')).toBe('A <code>prompt</code> over <strong>4000</strong> chars, see docs &lt;b&gt;&amp;');
    expect(inlineMarkdown('`<script>alert(1)</script>`')).toBe('<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>');
  });
});

describe('renderHtml', () => {
  const report = reportOf(
    [
      result({ id: 'negative.missing-prompt', status: 'fail', expected: '`400`', observed: '<img src=x onerror=alert(1)> `not code`', exchanges: [7] }),
      result({ id: 'model-rules.model-omitted', status: 'pass', observed: 'ok', exchanges: [7] }),
      result({ id: 'media.expiry', status: 'skip', reason: 'image budget', skipKind: 'budget' }),
      result({ id: 'native.envelope', status: 'not-applicable', reason: 'profile openai has no native endpoint' }),
    ],
    {
      images: [
        { label: 'model-omitted dall-e-3 #0', format: 'png', width: 256, height: 256, model: 'dall-e-2', modelFrom: 'default', exchange: 7, index: 0, checks: ['negative.missing-prompt', 'model-rules.model-omitted'], dataUrl: PNG_1PX },
        { label: 'evil', format: 'png', width: 1, height: 1, exchange: 8, checks: [], dataUrl: 'javascript:alert(1)' },
      ],
    },
  );
  const html = renderHtml(report, new Redactor([]));

  it('escapes what the gateway sent; renders the checks own Markdown', () => {
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; `not code`');
    expect(html).toContain('<div class="title">A <code>prompt</code> is required</div>');
    expect(html).not.toContain('javascript:');
  });

  it('labels an image with the model its request used (the default when it named none) and the size and format of its bytes', () => {
    expect(imageCaption(report.images[0]!)).toBe('dall-e-2 (default; request named no model) · 256×256 · PNG');
    expect(html).toContain('alt="dall-e-2 (default; request named no model) · 256×256 · PNG"');
    // Beside its checks: in the failing check's card and in the gallery block that names its readers.
    const card = html.slice(html.indexOf('id="check-negative.missing-prompt"'), html.indexOf('</article>'));
    expect(card).toContain(`src="${PNG_1PX}"`);
    expect(html).toMatch(/<div class="gen" id="images-7">[\s\S]*href="#check-model-rules.model-omitted"/);
  });

  it('keeps skips (by kind) and not-applicable checks apart from passes', () => {
    expect(html).toMatch(/<section id="skipped"[^>]*>.*image budget \(--max-images\) used up.*media\.expiry/s);
    expect(html).toMatch(/<section id="not-applicable"[^>]*>.*native\.envelope/s);
    expect(html.slice(html.indexOf('id="passed"'), html.indexOf('id="skipped"'))).not.toContain('media.expiry');
  });

  it('allows its one inline script by hash and nothing from outside', () => {
    const script = html.match(/<script>([\s\S]*?)<\/script>/)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(html).toContain("default-src 'none'");
    expect(html.match(/(?:src|href)="(?!#|data:image\/)[^"]*"/g)).toBeNull();
  });
});

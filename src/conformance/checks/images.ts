// The images themselves: plain base64, a real PNG/JPEG/WebP of the requested format and size, URLs
// that download without credentials, response_format honoured both ways, transparency that is real.
import { isSymbolic, sizeSatisfies, type Model } from '../../contract/catalogue.js';
import { formatFromMime } from '../../images/index.js';
import { body, fail, generationFailure, pass, skip } from '../assert.js';
import type { Generation, RunContext } from '../context.js';
import { header } from '../exchange.js';
import { urlCapable } from '../generations.js';
import type { InspectedItem } from '../inspect-images.js';
import type { CheckDef, Outcome } from '../types.js';
import { inCatalogue } from './applicability.js';
import { generationCheck } from './generation-check.js';

/** Runs `judge` over the decoded items of a generation, failing when there is nothing to look at. */
async function overItems(
  ctx: RunContext,
  gen: Generation,
  expected: string,
  judge: (item: InspectedItem) => string | undefined,
  filter: (item: InspectedItem) => boolean = () => true,
): Promise<Outcome> {
  const failure = generationFailure(gen, expected);
  if (failure) return failure;
  const items = (await ctx.items(gen)).filter(filter);
  const seqs = [gen.exchange.seq, ...items.map((i) => i.download?.seq).filter((s): s is number => s !== undefined)];
  if (items.length === 0) return fail(expected, 'no image items to inspect', seqs);
  const problems: string[] = [];
  const seen: string[] = [];
  for (const item of items) {
    const problem = judge(item);
    if (problem) problems.push(`#${item.index}: ${problem}`);
    else seen.push(`#${item.index} ${describeItem(item)}`);
  }
  if (problems.length) return fail(expected, problems.slice(0, 5).join('; '), seqs);
  return pass(seen.join('; '), ...seqs);
}

function describeItem(item: InspectedItem): string {
  const d = item.decoded;
  if (d?.ok) return `${d.format} ${d.width}x${d.height}${d.hasAlpha ? `, ${(d.transparentPixelRatio * 100).toFixed(0)}% transparent` : ''}`;
  return item.source;
}

const decodedProblem = (item: InspectedItem): string | undefined => {
  if (item.problem) return item.problem;
  if (!item.decoded?.ok) return `does not decode: ${item.decoded ? item.decoded.reason : 'no bytes'}`;
  return undefined;
};

export const imageChecks: CheckDef[] = [
  generationCheck('b64', {
    id: 'images.b64-plain-base64',
    title: '`b64_json` is plain standard base64 (no data: prefix, no line breaks, padded)',
    severity: 'MUST',
    rule: 'spec: components.schemas.Base64Image',
    async judge(ctx, gen) {
      const items = generationFailure(gen, '') ? [] : await ctx.items(gen);
      if (!generationFailure(gen, '') && !items.some((i) => i.source === 'b64_json')) return skip('the response has no b64_json item (see images.response-format-b64)', gen.exchange);
      return overItems(ctx, gen, 'b64_json decodes as plain base64', (i) => (i.base64Problem ? i.base64Problem : undefined), (i) => i.source === 'b64_json');
    },
  }),
  generationCheck('baseline', {
    id: 'images.decodes',
    title: 'Every returned image decodes completely as PNG, JPEG or WebP (truncated or corrupt images fail)',
    severity: 'MUST',
    rule: 'facts §6.3 (magic number), spec Base64Image / getMedia image content',
    judge(ctx, gen) {
      return overItems(ctx, gen, 'every image decodes fully as PNG, JPEG or WebP', (i) => {
        const p = decodedProblem(i);
        if (p) return p;
        return i.decoded?.ok && i.decoded.format === 'gif' ? 'is a GIF, not PNG/JPEG/WebP' : undefined;
      });
    },
  }),
  generationCheck('b64', {
    id: 'images.format-matches',
    title: 'The image encoding matches `output_format` (default png; echoed output_format agrees)',
    severity: 'MUST',
    rule: 'spec: OutputFormat; catalogue params.output_format; facts §6.3',
    appliesTo: inCatalogue,
    judge(ctx, gen) {
      const want = gen.request.expect.format;
      const echoed = generationFailure(gen, '') ? undefined : body(gen).output_format;
      return overItems(ctx, gen, want === 'any' ? 'a PNG, JPEG or WebP image (the model has no output_format)' : `${want} images`, (i) => {
        const p = decodedProblem(i);
        if (p) return p;
        const format = i.decoded!.ok ? i.decoded!.format : '';
        if (want !== 'any' && format !== want) return `is ${format}, expected ${want}`;
        if (want === 'any' && !['png', 'jpeg', 'webp'].includes(format)) return `is ${format}`;
        if (typeof echoed === 'string' && echoed !== format) return `is ${format} but output_format echoes '${echoed}'`;
        return undefined;
      });
    },
  }),
  generationCheck('baseline', {
    id: 'images.dimensions',
    title: 'Pixel dimensions equal the requested size',
    severity: 'MUST',
    rule: 'spec: CreateImageRequest.size; catalogue size',
    appliesTo: inCatalogue,
    judge(ctx, gen) {
      const want = gen.request.expect.size!;
      return judgeSizes(ctx, gen, `${want} pixels`, want);
    },
  }),
  generationCheck('baseline', {
    id: 'images.url-download',
    title: 'A `url` is absolute, downloads without the API key with an image content type, and decodes',
    severity: 'MUST',
    rule: 'spec: Image.url (absolute, downloads the image); getMedia security []; facts §6.4',
    appliesTo: (_ctx, t) => (!t.model || urlCapable(t.model) ? true : `catalogue: ${t.model.id} returns b64_json only`),
    async judge(ctx, gen, t) {
      if (!t.model && !generationFailure(gen, '') && !(await ctx.items(gen)).some((i) => i.source === 'url')) return skip('the response has no url item', gen.exchange);
      return overItems(
        ctx,
        gen,
        'each url: absolute http(s), 200 with image/png|jpeg|webp, decodes',
        (i) => {
          if (i.problem) return i.problem;
          const d = i.download!;
          const mime = formatFromMime(header(d, 'content-type'));
          if (!mime || mime === 'gif') return `content-type is '${header(d, 'content-type') ?? 'absent'}', not an image type of the contract`;
          if (!i.decoded?.ok) return `does not decode: ${i.decoded?.reason}`;
          if (i.decoded.format !== mime) return `content-type says ${mime} but the bytes are ${i.decoded.format}`;
          return undefined;
        },
        (i) => i.source === 'url',
      );
    },
  }),
  generationCheck('baseline', {
    id: 'images.response-format-url',
    title: '`response_format: url` returns URLs',
    severity: 'MUST',
    rule: 'spec: ResponseFormat; catalogue params.response_format; facts §6.4',
    appliesTo: (_ctx, t) => (urlCapable(t.model) ? true : t.model ? `catalogue: ${t.model.id} returns b64_json only` : `'${t.name}' is not in the catalogue`),
    judge(ctx, gen) {
      return overItems(ctx, gen, 'every item has a url (response_format: url)', (i) => sourceProblem(i, 'url'));
    },
  }),
  generationCheck('b64', {
    id: 'images.response-format-b64',
    title: '`response_format: b64_json` returns base64 images',
    severity: 'MUST',
    rule: 'spec: ResponseFormat; catalogue params.response_format; facts §6.4',
    appliesTo: (_ctx, t) => (urlCapable(t.model) ? true : t.model ? `catalogue: ${t.model.id} is b64-only (see images.b64-only-models)` : `'${t.name}' is not in the catalogue`),
    judge(ctx, gen) {
      return overItems(ctx, gen, 'every item has b64_json (response_format: b64_json)', (i) => sourceProblem(i, 'b64_json'));
    },
  }),
  generationCheck('baseline', {
    id: 'images.b64-only-models',
    title: 'Models without URL output (GPT image) return b64_json, never a url',
    severity: 'MUST',
    rule: 'catalogue output.url false; facts §6.4',
    appliesTo: (_ctx, t) => (t.model && !t.model.output.url ? true : t.model ? `catalogue: ${t.model.id} returns URLs` : `'${t.name}' is not in the catalogue`),
    judge(ctx, gen) {
      return overItems(ctx, gen, 'every item has b64_json and no url', (i) => sourceProblem(i, 'b64_json'));
    },
  }),
  generationCheck('webp-transparent', {
    id: 'images.output-format-honoured',
    title: 'A non-default `output_format` (webp) is honoured, not dropped',
    severity: 'MUST',
    rule: 'catalogue params.output_format; facts §6.11 (silent param dropping)',
    judge(ctx, gen) {
      const want = gen.request.fields.output_format as string;
      return overItems(ctx, gen, `${want} images`, (i) => formatProblem(i, want));
    },
  }),
  generationCheck('webp-transparent', {
    id: 'images.transparent-background',
    title: '`background: transparent` gives images with transparent pixels',
    severity: 'MUST',
    rule: 'catalogue params.background; facts §6.11',
    judge(ctx, gen) {
      const echoed = generationFailure(gen, '') ? undefined : body(gen).background;
      return overItems(ctx, gen, 'an alpha channel with fully transparent pixels', (i) => {
        const p = decodedProblem(i);
        if (p) return p;
        const d = i.decoded as Extract<InspectedItem['decoded'], { ok: true }>;
        if (!d.hasAlpha) return `${d.format} without an alpha channel`;
        if (d.transparentPixelRatio === 0) return 'has an alpha channel but no transparent pixel';
        if (echoed !== undefined && echoed !== 'transparent') return `background echoes '${String(echoed)}'`;
        return undefined;
      });
    },
  }),
];

/** Why an item is not of the source (`url` or `b64_json`) asked for. */
export function sourceProblem(item: InspectedItem, want: string): string | undefined {
  return item.source === want ? undefined : `has ${item.source === 'none' ? 'no image' : item.source}`;
}

/** Why an item is not a decodable image encoded as `want`. */
export function formatProblem(item: InspectedItem, want: string): string | undefined {
  const p = decodedProblem(item);
  if (p) return p;
  return item.decoded!.ok && item.decoded!.format !== want ? `is ${item.decoded!.format}` : undefined;
}

/** Every image of a generation has the size `want` (see dimensionProblem). */
export function judgeSizes(ctx: RunContext, gen: Generation, expected: string, want: string): Promise<Outcome> {
  return overItems(ctx, gen, expected, (i) => dimensionProblem(i, want, gen.target.model));
}

/**
 * Whether an image has the size asked for. With the model known, a symbolic request (`auto`) is met by
 * any size the model allows: the server chooses (the catalogue's `resolves` is only the mock's choice).
 */
export function dimensionProblem(item: InspectedItem, want: string, model?: Model): string | undefined {
  const p = decodedProblem(item);
  if (p) return p;
  const d = item.decoded as Extract<InspectedItem['decoded'], { ok: true }>;
  const got = `${d.width}x${d.height}`;
  if (model && isSymbolic(model.size.resolves, want)) return sizeSatisfies(model, want, got) ? undefined : `is ${got}, not a size ${model.id} allows`;
  return got === want ? undefined : `is ${got}`;
}

export { overItems, decodedProblem };

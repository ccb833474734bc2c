// The media proxy behind image URLs (ref 000, getMedia): token URLs download without a key; forged
// tokens are 404/410 with an error envelope.
import { envelopeProblems, fail, generationFailure, pass, RETRY_NOTE, schemaProblemsText, skip } from '../assert.js';
import type { RunContext } from '../context.js';
import { formatFromMime } from '../../images/index.js';
import { describe, header, isObject, parseJson } from '../exchange.js';
import { urlCapable } from '../generations.js';
import type { CheckDef } from '../types.js';
import { allOf, serves } from './applicability.js';
import { generationCheck } from './generation-check.js';

const SYNTHETIC_TOKEN = 'eyJ2IjoxLCJleHAiOjQxMDI0NDQ4MDB9.Zm9yZ2VkLXNpZ25hdHVyZQ';

function mediaPrefix(ctx: RunContext): string {
  return ctx.operationUrl('getMedia', { token: '' });
}

const servesMedia = serves('getMedia');

/** A token this run saw in an image URL, with its signature changed. */
function tamperedToken(ctx: RunContext): string | undefined {
  const prefix = mediaPrefix(ctx);
  const seen = ctx.http.exchanges.find((e) => e.method === 'GET' && e.url.startsWith(prefix) && e.response?.status === 200);
  if (!seen) return undefined;
  const token = decodeURIComponent(seen.url.slice(prefix.length).split(/[?#]/)[0]!);
  if (!token) return undefined;
  // Change a character in the middle of the signature part: the last base64 character may carry only
  // padding bits, so changing it can leave the decoded signature as it was.
  const sig = token.lastIndexOf('.') + 1;
  const at = sig + Math.floor((token.length - sig) / 2);
  return token.slice(0, at) + (token[at] === 'A' ? 'Q' : 'A') + token.slice(at + 1);
}

export const mediaChecks: CheckDef[] = [
  generationCheck('baseline', {
    id: 'media.token-download',
    title: "Image URLs of the gateway's media proxy download without a key, with an image type and x-request-id",
    severity: 'MUST',
    rule: 'spec: getMedia (security [], 200 image/*, x-request-id); ref 000 (media proxy URLs)',
    appliesTo: allOf(servesMedia, (_ctx, t) => (!t.model || urlCapable(t.model) ? true : `catalogue: ${t.model.id} returns b64_json only`)),
    async judge(ctx, gen) {
      const expected = 'each media URL: 200 image/png|jpeg|webp without a key, x-request-id, decodes';
      const failure = generationFailure(gen, expected);
      if (failure) return failure;
      const prefix = mediaPrefix(ctx);
      const items = (await ctx.items(gen)).filter((i) => i.url?.startsWith(prefix));
      if (items.length === 0) return skip(`no image URL points at the media proxy (${prefix}…)`, gen.exchange);
      const problems: string[] = [];
      for (const i of items) {
        const d = i.download;
        if (!d?.response) problems.push(`#${i.index}: ${d ? describe(d) : i.problem}`);
        else if (d.response.status !== 200) problems.push(`#${i.index}: ${describe(d)}`);
        else if (!formatFromMime(header(d, 'content-type'))) problems.push(`#${i.index}: content-type ${header(d, 'content-type') ?? 'absent'}`);
        else if (!header(d, 'x-request-id')) problems.push(`#${i.index}: no x-request-id`);
        else if (!i.decoded?.ok) problems.push(`#${i.index}: does not decode (${i.decoded?.reason ?? i.problem})`);
      }
      const seqs = [gen.exchange.seq, ...items.map((i) => i.download?.seq ?? 0).filter(Boolean)];
      if (problems.length) return fail(expected, problems.join('; '), seqs);
      return pass(`${items.length} media URL(s) downloaded: ${items.map((i) => header(i.download!, 'content-type')).join(', ')}`, ...seqs);
    },
  }),
  {
    id: 'media.forged-token',
    title: 'A forged media token is a 404 (or 410) with an error envelope',
    severity: 'MUST',
    rule: 'spec: getMedia 404 MediaNotFound / 410 MediaGone',
    scope: 'run',
    uses: [],
    order: 'last',
    appliesTo: servesMedia,
    async run(ctx) {
      const token = tamperedToken(ctx) ?? SYNTHETIC_TOKEN;
      const ex = await ctx.send({ method: 'GET', url: ctx.operationUrl('getMedia', { token }), auth: 'none', label: 'forged media token' });
      const expected = '404 or 410 with an error envelope (MediaNotFound / MediaGone)';
      if (!ex.response) return fail(expected, describe(ex), [ex]);
      const status = ex.response.status;
      if (status === 200) return fail(expected, `a forged token was served: ${describe(ex)}`, [ex], 'The media proxy does not verify token signatures.');
      if (status >= 500) return fail(expected, describe(ex), [ex], RETRY_NOTE);
      if (status !== 404 && status !== 410) return fail(expected, describe(ex), [ex]);
      const pointer = `#/components/responses/${status === 404 ? 'MediaNotFound' : 'MediaGone'}/content/application~1json/schema`;
      const parsed = parseJson(ex);
      if (!parsed.ok) return fail(expected, `${status}: body is ${parsed.error}`, [ex]);
      const problems = ctx.validator.problems(pointer, parsed.value);
      if (problems.length) {
        const detail = isObject(parsed.value) && isObject(parsed.value.error) && !('status' in parsed.value) ? envelopeProblems(ex, ctx.validator, ctx.profile.errorEnvelope) : [];
        return fail(expected, `${status}: ${detail.length ? detail.join('; ') : schemaProblemsText(problems, 3)}`, [ex]);
      }
      return pass(`${status} with an error envelope (${tamperedToken(ctx) ? 'tampered real token' : 'synthetic token'})`, ex);
    },
  },
];

// Features particular to some reference gateways, each read from the profile: model names in both
// forms (ref 001: dall-e-3 or openai/dall-e-3), metadata echoed (profile extras.metadata), image URLs
// that expire after the profile's lifetime (opt-in: it waits), and the errors only the gateway's owner
// can trigger (content policy, budget, quota: opt-in through --trigger).
import { metadataMode } from '../../contract/profiles.js';
import { constVocabulary } from '../../contract/spec.js';
import { fail, judgeBody, judgeClientError, optInSkip, pass, skip, type ClientErrorExpectation } from '../assert.js';
import type { RunContext } from '../context.js';
import { describe } from '../exchange.js';
import { METADATA, otherModelName, PROMPT } from '../generations.js';
import type { HttpRequest } from '../http.js';
import type { CheckDef, Target, TriggerKind } from '../types.js';
import { allOf, servesCreateImage } from './applicability.js';
import { generationCheck } from './generation-check.js';
import { decodedProblem, overItems } from './images.js';
import { namesModel } from './model-rules.js';

/** Slack on top of the profile's URL lifetime before an old URL must stop working: a tenth of it, 1-30 s (clock skew, caching). */
const expiryGrace = (ttl: number) => Math.min(30, Math.max(1, Math.ceil(ttl / 10)));

/** The status the spec gives a native error code (NativeErrorCode x-status). */
function nativeStatus(code: string): number {
  return constVocabulary('NativeErrorCode').find((c) => c.value === code)?.status ?? 400;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface TriggerCase {
  kind: TriggerKind;
  id: string;
  title: string;
  rule: string;
  /** The error kind for the OpenAI-compatible operations (its code is contractual), and the native code. */
  errorKind: string;
  statuses: number[];
  nativeCode: string;
}

const TRIGGERS: TriggerCase[] = [
  {
    kind: 'content-policy',
    id: 'errors.content-policy',
    title: 'A prompt the gateway refuses (owner-supplied trigger) is a 400 content_policy_violation (native: BACKEND_ERROR)',
    rule: 'ErrorCode content_policy_violation (x-contractual); ref 001 (content_policy_violation); ref 000 (BACKEND_ERROR: safety filter)',
    errorKind: 'content_policy_violation',
    statuses: [400],
    nativeCode: 'BACKEND_ERROR',
  },
  {
    kind: 'quota',
    id: 'errors.quota',
    title: 'A request past the account quota (owner-supplied trigger) is a 429 insufficient_quota, told apart from a rate limit',
    rule: 'ErrorCode insufficient_quota (x-contractual); facts §2.1, §2.2 (quota 429 without Retry-After)',
    errorKind: 'insufficient_quota',
    statuses: [429],
    nativeCode: 'BUDGET_EXCEEDED',
  },
  {
    kind: 'budget',
    id: 'errors.budget',
    title: 'A request past the gateway budget cap (owner-supplied trigger) is a 429 insufficient_quota (native: BUDGET_EXCEEDED)',
    rule: 'ref 000 (BUDGET_EXCEEDED: image generation has its own budget cap); x-error budget_exceeded',
    errorKind: 'budget_exceeded',
    statuses: [429, 402],
    nativeCode: 'BUDGET_EXCEEDED',
  },
];

/** The request a trigger describes: `Header-Name: value` adds a header, anything else is the prompt. */
function triggerRequest(ctx: RunContext, t: Target, trigger: string, label: string): HttpRequest {
  const header = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(trigger);
  const native = ctx.profile.nativeEnvelope === true && ctx.profile.operations.includes('generateNativeImage');
  const value = { model: t.name, prompt: header ? PROMPT : trigger, n: 1 };
  return {
    method: 'POST',
    url: ctx.operationUrl(native ? 'generateNativeImage' : 'createImage'),
    body: { kind: 'json', value },
    label,
    // The refusal is the answer under test: a quota 429 is judged, never waited out or retried.
    retry: { rateLimit: false, transient: false },
    ...(header ? { headers: { [header[1]!]: header[2]! } } : {}),
  };
}

const triggerChecks: CheckDef[] = TRIGGERS.map((c) => ({
  id: c.id,
  title: c.title,
  severity: 'MUST',
  rule: c.rule,
  scope: 'run',
  uses: [],
  appliesTo: servesCreateImage,
  async run(ctx) {
    const trigger = ctx.triggers[c.kind];
    if (!trigger)
      return optInSkip(
        `only the gateway's owner can make it refuse this way; pass --trigger ${c.kind}='PROMPT TEXT' (a prompt it refuses) or --trigger ${c.kind}='Header-Name: value' (a header that makes it refuse)`,
      );
    // The trigger may make an image where the gateway is broken: one request, never retried.
    const ex = await ctx.send(triggerRequest(ctx, ctx.primary, trigger, `${c.kind} trigger`));
    const native = ctx.profile.nativeEnvelope === true && ctx.profile.operations.includes('generateNativeImage');
    const exp: ClientErrorExpectation = native
      ? { statuses: [nativeStatus(c.nativeCode)], envelope: 'native', nativeCode: c.nativeCode, what: `${c.kind} trigger` }
      : { statuses: c.statuses, kind: c.errorKind, what: `${c.kind} trigger` };
    return judgeClientError(ex, ctx, exp);
  },
}));

export const gatewayFeatureChecks: CheckDef[] = [
  generationCheck('model-alias', {
    id: 'model-ids.other-form-accepted',
    title: 'Where the gateway takes bare ids and provider/model slugs, the other form of the model name gets images from the same model',
    severity: 'MUST',
    rule: "profile modelIds both; ref 001 ('Model name: dall-e-3' or 'Provider/model: openai/dall-e-3')",
    async judge(ctx, gen, t) {
      const name = otherModelName(t)!;
      const expected = `200 with images for model ${name}`;
      const perf = judgeBody(gen, expected, (b) => {
        const used = (b.perf as { model_used?: unknown } | undefined)?.model_used;
        if (typeof used === 'string' && t.model && !namesModel(used, t.model)) return fail(expected, `perf.model_used is ${used}`, [gen.exchange]);
        return pass('', gen.exchange);
      });
      if (perf.status !== 'pass') return perf;
      return overItems(ctx, gen, expected, decodedProblem);
    },
  }),
  generationCheck('values', {
    id: 'metadata.echoed',
    title: 'Request metadata comes back unchanged as top-level `metadata` (profiles that echo it)',
    severity: 'MUST',
    rule: 'profile extras.metadata echoed; spec CreateImageRequest.metadata',
    appliesTo: allOf(servesCreateImage, (ctx) => (metadataMode(ctx.profile) === 'echoed' ? true : `profile ${ctx.profile.name} does not echo metadata (${metadataMode(ctx.profile)})`)),
    judge(_ctx, gen) {
      const expected = `metadata ${JSON.stringify(METADATA)} in the response`;
      return judgeBody(gen, expected, (b) =>
        isDeepEqual(b.metadata, METADATA) ? pass(`metadata ${JSON.stringify(b.metadata)}`, gen.exchange) : fail(expected, `metadata is ${JSON.stringify(b.metadata)}`, [gen.exchange]),
      );
    },
  }),
  {
    id: 'urls.expire-after-ttl',
    title: "Image URLs stop working once the profile's URL lifetime has passed (opt-in: waits urlTtlSeconds + a tenth, at most 30 s more)",
    severity: 'MUST',
    rule: 'profile urlTtlSeconds; ref 000 (URLs expire after 1 hour by default), ref 001 and ref 003 (expire after 1 hour); facts §5.19',
    scope: 'run',
    uses: ['baseline'],
    appliesTo: servesCreateImage,
    minTimeoutMs: (ctx) => {
      const ttl = ctx.profile.urlTtlSeconds ?? 3600;
      return ctx.waitUrlExpiry ? (ttl + expiryGrace(ttl) + 60) * 1000 : 0;
    },
    async run(ctx) {
      const ttl = ctx.profile.urlTtlSeconds ?? 3600;
      const grace = expiryGrace(ttl);
      if (!ctx.waitUrlExpiry) return optInSkip(`pass --wait-url-expiry to wait up to ${ttl + grace} s (the profile's urlTtlSeconds ${ttl} + ${grace}) and check that URLs expire`);
      const gen = await ctx.generation(ctx.primary, 'baseline');
      const items = await ctx.items(gen);
      const url = items.find((i) => i.source === 'url' && i.url)?.url;
      if (!url) return skip(`the baseline of ${ctx.primary.name} has no image URL`, gen.exchange);
      const expected = `the URL answers 4xx after ${ttl + grace} s (lifetime ${ttl} s)`;
      const waitMs = Math.max(0, gen.exchange.startedAt + (ttl + grace) * 1000 - Date.now());
      await new Promise((r) => setTimeout(r, waitMs));
      const ex = await ctx.send({ method: 'GET', url, auth: 'none', download: true, label: 'download after the URL lifetime' });
      const status = ex.response?.status;
      if (status !== undefined && status >= 400 && status < 500) return pass(`${status} after ${Math.round((Date.now() - gen.exchange.startedAt) / 1000)} s`, gen.exchange, ex);
      return fail(expected, describe(ex), [gen.exchange, ex], 'URLs that never expire leak images to whoever holds the link; clients are told to download within the lifetime.');
    },
  },
  ...triggerChecks,
];

// The perf block some gateways add to every response (ref 003: perf.request_id, model_used, size,
// quality, cost_usd, latency_ms), read from the baseline generation of each model: present with the
// fields the profile names, and true to what was served.
import { perfFields, type PerfField } from '../../contract/profiles.js';
import { fail, judgeBody, pass } from '../assert.js';
import type { Generation, RunContext } from '../context.js';
import { header, isObject } from '../exchange.js';
import { defaultQuality, enumParam } from '../generations.js';
import type { CheckDef, Outcome, Target } from '../types.js';
import { allOf, servesCreateImage } from './applicability.js';
import { generationCheck } from './generation-check.js';
import { namesModel } from './model-rules.js';

/** Applies where the profile's perf block has any of `wanted` (any field when empty). */
const hasPerf = (wanted: PerfField[]): CheckDef['appliesTo'] =>
  allOf(servesCreateImage, (ctx) => {
    const fields = perfFields(ctx.profile);
    if (!fields.length) return `profile ${ctx.profile.name} has no perf block`;
    return !wanted.length || wanted.some((f) => fields.includes(f)) ? true : `profile ${ctx.profile.name}: the perf block has no ${wanted.join(' or ')}`;
  });

/** Judges the perf object of the baseline (a failure when it is missing: perf.present says so too). */
function withPerf(gen: Generation, expected: string, judge: (perf: Record<string, unknown>) => Outcome): Outcome {
  return judgeBody(gen, expected, (b) => (isObject(b.perf) ? judge(b.perf) : fail(expected, `no perf object (top-level: ${Object.keys(b).join(', ')})`, [gen.exchange])));
}

function perfCheck(id: string, title: string, rule: string, fields: PerfField[], judge: (ctx: RunContext, gen: Generation, t: Target, expected: string) => Outcome, expected: string): CheckDef {
  return generationCheck('baseline', {
    id,
    title,
    severity: 'MUST',
    rule,
    appliesTo: hasPerf(fields),
    judge: (ctx, gen, t) => judge(ctx, gen, t, expected),
  });
}

export const perfChecks: CheckDef[] = [
  perfCheck(
    'perf.present',
    'Every response carries the perf block with the fields the profile names, valid against the Perf schema',
    'ref 003 (perf.* response fields); spec Perf; profile extras.perf',
    [],
    (ctx, gen, t, expected) =>
      withPerf(gen, expected, (perf) => {
        // perf.quality is the quality level used: a model without quality levels may leave it out.
        const missing = perfFields(ctx.profile).filter((f) => !(f in perf) && (f !== 'quality' || enumParam(t.model, 'quality')));
        const problems = ctx.validator.problems('Perf', perf).slice(0, 3).map((p) => `${p.path} ${p.message}`);
        if (missing.length || problems.length) return fail(expected, [missing.length ? `missing ${missing.join(', ')}` : '', ...problems].filter(Boolean).join('; '), [gen.exchange]);
        return pass(`perf with ${Object.keys(perf).join(', ')}`, gen.exchange);
      }),
    'a perf object with the profile\'s fields',
  ),
  perfCheck(
    'perf.request-id',
    'perf.request_id is the x-request-id of the same answer',
    'ref 003 (perf.request_id: unique request identifier for tracking); facts §2.2 (x-request-id)',
    ['request_id'],
    (_ctx, gen, _t, expected) =>
      withPerf(gen, expected, (perf) => {
        const id = header(gen.exchange, 'x-request-id');
        if (typeof perf.request_id !== 'string' || !perf.request_id) return fail(expected, `perf.request_id is ${JSON.stringify(perf.request_id)}`, [gen.exchange]);
        if (id !== undefined && perf.request_id !== id) return fail(expected, `perf.request_id ${perf.request_id}, x-request-id ${id}`, [gen.exchange]);
        return pass(`perf.request_id ${perf.request_id}${id ? ' = x-request-id' : ' (no x-request-id header)'}`, gen.exchange);
      }),
    'perf.request_id a non-empty string equal to the x-request-id header',
  ),
  perfCheck(
    'perf.model-used',
    'perf.model_used names the model that was requested',
    'ref 003 (perf.model_used: model that generated the image)',
    ['model_used'],
    (_ctx, gen, t, expected) =>
      withPerf(gen, `${expected} (${t.name})`, (perf) => {
        const used = perf.model_used;
        if (typeof used !== 'string' || !t.model || !namesModel(used, t.model)) return fail(`${expected} (${t.name})`, `perf.model_used is ${JSON.stringify(used)}`, [gen.exchange]);
        return pass(`perf.model_used ${used}`, gen.exchange);
      }),
    'perf.model_used naming the requested model',
  ),
  perfCheck(
    'perf.size-quality',
    'perf.size is the size served and perf.quality the quality asked for (or the model default)',
    'ref 003 (perf.size: image dimensions; perf.quality: quality level used); catalogue quality default',
    ['size', 'quality'],
    (ctx, gen, t, expected) =>
      withPerf(gen, expected, (perf) => {
        const problems: string[] = [];
        const size = gen.request.expect.size;
        if (perfFields(ctx.profile).includes('size') && size && /^\d+x\d+$/.test(size) && perf.size !== size) problems.push(`perf.size ${JSON.stringify(perf.size)} for ${size}`);
        const quality = typeof gen.request.fields.quality === 'string' ? gen.request.fields.quality : defaultQuality(t.model);
        if (perfFields(ctx.profile).includes('quality') && enumParam(t.model, 'quality') && quality && perf.quality !== quality)
          problems.push(`perf.quality ${JSON.stringify(perf.quality)} for ${quality}`);
        if (problems.length) return fail(expected, problems.join('; '), [gen.exchange]);
        return pass(`perf.size ${String(perf.size)}${perf.quality !== undefined ? `, perf.quality ${String(perf.quality)}` : ''}`, gen.exchange);
      }),
    'perf.size and perf.quality as served',
  ),
  perfCheck(
    'perf.cost-latency',
    'perf.cost_usd is a non-negative number and perf.latency_ms a non-negative number of milliseconds',
    'ref 003 (perf.cost_usd: cost of this generation; perf.latency_ms: generation time in milliseconds)',
    ['cost_usd', 'latency_ms'],
    (ctx, gen, _t, expected) =>
      withPerf(gen, expected, (perf) => {
        const fields = perfFields(ctx.profile);
        const problems: string[] = [];
        for (const f of ['cost_usd', 'latency_ms'] as const) {
          if (!fields.includes(f)) continue;
          const v = perf[f];
          if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push(`perf.${f} is ${JSON.stringify(v)}`);
        }
        if (problems.length) return fail(expected, problems.join('; '), [gen.exchange]);
        return pass(`cost_usd ${String(perf.cost_usd)}, latency_ms ${String(perf.latency_ms)}`, gen.exchange);
      }),
    'perf.cost_usd >= 0 and perf.latency_ms >= 0, both numbers',
  ),
];

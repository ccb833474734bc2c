// A successful generation, as the spec's ImagesResponse and facts §6.1-§6.7 describe it. All of these
// read the one baseline generation per model; the echo check also reads the defaults generation.
import { isSupported, sizeSatisfies, valueSatisfies, type Model } from '../../contract/catalogue.js';
import { body, fail, generationFailure, invalidBody, judgeBody, pass, schemaProblemsText } from '../assert.js';
import type { Generation } from '../context.js';
import { describe, header, isObject, mediaType } from '../exchange.js';
import type { CheckDef } from '../types.js';
import { generationCheck } from './generation-check.js';

const DAY = 86_400;

export const successChecks: CheckDef[] = [
  generationCheck('baseline', {
    id: 'success.status-200',
    title: 'A valid generation is answered with status exactly 200',
    severity: 'MUST',
    rule: 'spec: createImage 200; facts §6.2 (not 201 or 246)',
    examplesOnly: true,
    judge(_ctx, { exchange: ex }) {
      if (ex.response?.status === 200) return pass('200', ex);
      return fail('status 200', describe(ex), [ex]);
    },
  }),
  generationCheck('baseline', {
    id: 'success.content-type-json',
    title: 'The success body is application/json',
    severity: 'MUST',
    rule: 'facts §6.1, §3.2: other content types reach SDK users as a raw string',
    examplesOnly: true,
    judge(_ctx, { exchange: ex }) {
      if (!ex.response) return fail('Content-Type: application/json', describe(ex), [ex]);
      const type = mediaType(ex);
      if (type === 'application/json') return pass(header(ex, 'content-type') ?? '', ex);
      return fail('Content-Type: application/json', `Content-Type: ${header(ex, 'content-type') ?? '(none)'} on ${ex.response.status}`, [ex]);
    },
  }),
  generationCheck('baseline', {
    id: 'success.schema',
    title: 'The success body validates against ImagesResponse',
    severity: 'MUST',
    rule: 'spec: components.schemas.ImagesResponse',
    examplesOnly: true,
    judge(ctx, gen) {
      return invalidBody(gen, ctx.validator, 'ImagesResponse', 'a body valid against ImagesResponse', 5) ?? pass('valid ImagesResponse', gen.exchange);
    },
  }),
  generationCheck('baseline', {
    id: 'success.created-unix-seconds',
    title: '`created` is an integer in unix seconds within a day of now',
    severity: 'MUST',
    rule: 'spec: ImagesResponse.created (unix seconds); facts §6.2',
    judge(_ctx, gen) {
      const now = Math.floor(Date.now() / 1000);
      const expected = `created: integer unix seconds within ±1 day of ${now}`;
      return judgeBody(gen, expected, ({ created }) => {
        if (typeof created !== 'number' || !Number.isInteger(created)) return fail(expected, `created is ${JSON.stringify(created)}`, [gen.exchange]);
        if (created > now * 100) return fail(expected, `created is ${created}: a millisecond timestamp`, [gen.exchange]);
        if (Math.abs(created - now) > DAY) return fail(expected, `created is ${created} (${Math.round((created - now) / 3600)} h from now)`, [gen.exchange]);
        return pass(`created ${created} (${created - now} s from now)`, gen.exchange);
      });
    },
  }),
  generationCheck('baseline', {
    id: 'success.data-length-n',
    title: '`data` has exactly n items',
    severity: 'MUST',
    rule: 'spec: ImagesResponse.data (one item per requested image); facts §6.2',
    examplesOnly: true,
    judge(_ctx, gen) {
      const expected = `data: an array of ${gen.request.n} item(s)`;
      return judgeBody(gen, expected, ({ data }) => {
        if (!Array.isArray(data)) return fail(expected, `data is ${JSON.stringify(data)?.slice(0, 80)}`, [gen.exchange]);
        if (data.length !== gen.request.n) return fail(expected, `${data.length} item(s)`, [gen.exchange]);
        return pass(`${data.length} item(s)`, gen.exchange);
      });
    },
  }),
  generationCheck('baseline', {
    id: 'success.image-items',
    title: 'Each item has exactly one non-empty `url` or `b64_json` (no empty strings, no nulls)',
    severity: 'MUST',
    rule: 'spec: components.schemas.Image (oneOf url / b64_json); facts §6.3, §4.5',
    examplesOnly: true,
    judge(_ctx, gen) {
      const expected = 'every item: exactly one of a non-empty url or b64_json, no null or "" fields';
      return judgeBody(gen, expected, ({ data }) => {
        if (!Array.isArray(data) || data.length === 0) return fail(expected, `data is ${JSON.stringify(data)?.slice(0, 80)}`, [gen.exchange]);
        const problems: string[] = [];
        data.forEach((item, i) => {
          if (!isObject(item)) return problems.push(`#${i} is ${JSON.stringify(item)}`);
          const present = (['url', 'b64_json'] as const).filter((k) => typeof item[k] === 'string' && (item[k] as string).length > 0);
          if (present.length !== 1) problems.push(`#${i} has ${present.length ? present.join(' and ') : 'neither url nor b64_json'}`);
          for (const [k, v] of Object.entries(item)) {
            if (v === null) problems.push(`#${i}.${k} is null`);
            else if (v === '') problems.push(`#${i}.${k} is ""`);
          }
        });
        if (problems.length) return fail(expected, problems.slice(0, 6).join('; '), [gen.exchange]);
        return pass(`${data.length} item(s), each with one ${data.map((d) => ('url' in (d as object) ? 'url' : 'b64_json')).join(', ')}`, gen.exchange);
      });
    },
  }),
  generationCheck('baseline', {
    id: 'success.revised-prompt',
    title: '`revised_prompt` is a non-empty string when present, and present where the catalogue says the model rewrites prompts',
    severity: 'MUST',
    rule: 'spec: Image.revised_prompt; catalogue output.revisedPrompt; facts §4.5 (empty strings)',
    examplesOnly: true,
    judge(_ctx, gen, t) {
      const must = t.model?.output.revisedPrompt === true;
      const expected = must ? 'every item has a non-empty string revised_prompt' : 'revised_prompt, when present, is a non-empty string';
      return judgeBody(gen, expected, ({ data }) => {
        if (!Array.isArray(data)) return fail(expected, 'no data array', [gen.exchange]);
        const problems: string[] = [];
        let seen = 0;
        data.forEach((item, i) => {
          if (!isObject(item)) return;
          if (!('revised_prompt' in item)) {
            if (must) problems.push(`#${i} has no revised_prompt`);
            return;
          }
          seen++;
          if (typeof item.revised_prompt !== 'string' || item.revised_prompt.trim() === '') problems.push(`#${i}.revised_prompt is ${JSON.stringify(item.revised_prompt)}`);
        });
        if (problems.length) return fail(expected, problems.join('; '), [gen.exchange]);
        return pass(seen ? `${seen} non-empty revised_prompt(s)` : `no revised_prompt (${t.model ? `catalogue: ${t.model.id} does not rewrite prompts` : 'optional'})`, gen.exchange);
      });
    },
  }),
  generationCheck('baseline', {
    id: 'success.usage-shape',
    title: '`usage` is ImageGenUsage (input/output/total tokens), never chat-style, and present for models that report usage',
    severity: 'MUST',
    rule: 'spec: ImageGenUsage; catalogue output.usage; facts §6.5, §5.8',
    examplesOnly: true,
    judge(ctx, gen, t) {
      const must = t.model?.output.usage === true;
      const expected = must ? 'usage with integer input_tokens, output_tokens, total_tokens, input_tokens_details' : 'no usage, or a valid ImageGenUsage';
      return judgeBody(gen, expected, ({ usage }) => {
        if (usage === undefined) return must ? fail(expected, 'no usage', [gen.exchange]) : pass('no usage (the catalogue does not require it)', gen.exchange);
        const chat = isObject(usage) ? ['prompt_tokens', 'completion_tokens'].filter((k) => k in usage) : [];
        if (chat.length) return fail(expected, `chat-style usage (${chat.join(', ')}): ${JSON.stringify(usage).slice(0, 200)}`, [gen.exchange]);
        const problems = ctx.validator.problems('ImageGenUsage', usage);
        if (problems.length) return fail(expected, schemaProblemsText(problems, 4, 'usage'), [gen.exchange]);
        const u = usage as { input_tokens: number; output_tokens: number; total_tokens: number };
        if (u.total_tokens !== u.input_tokens + u.output_tokens)
          return fail(expected, `total_tokens ${u.total_tokens} ≠ input_tokens ${u.input_tokens} + output_tokens ${u.output_tokens}`, [gen.exchange]);
        return pass(`usage ${JSON.stringify(usage)}`, gen.exchange);
      });
    },
  }),
  generationCheck('baseline', {
    id: 'success.usage-output-details',
    title: '`usage` of models that report usage breaks the output tokens down in `output_tokens_details` (image and text tokens)',
    severity: 'SHOULD',
    rule: 'spec: ImageGenUsage.output_tokens_details (optional: facts §1.4, §6); facts §5.6 (BerriAI/litellm#31142: without it image output tokens are billed at the text rate)',
    appliesTo: (_ctx, t) => (t.model?.output.usage ? true : t.model ? `catalogue: ${t.model.id} reports no usage` : `'${t.name}' is not in the catalogue`),
    judge(ctx, gen) {
      const expected = 'usage.output_tokens_details with integer image_tokens and text_tokens';
      return judgeBody(gen, expected, ({ usage }) => {
        if (!isObject(usage)) return fail(expected, usage === undefined ? 'no usage' : `usage is ${JSON.stringify(usage).slice(0, 120)}`, [gen.exchange]);
        if (!('output_tokens_details' in usage)) return fail(expected, `usage has no output_tokens_details: ${JSON.stringify(usage).slice(0, 200)}`, [gen.exchange]);
        const problems = ctx.validator.problems('TokenDetails', usage.output_tokens_details);
        if (problems.length) return fail(expected, schemaProblemsText(problems, 3, 'usage.output_tokens_details'), [gen.exchange]);
        return pass(`output_tokens_details ${JSON.stringify(usage.output_tokens_details)}`, gen.exchange);
      });
    },
  }),
  generationCheck('baseline', {
    id: 'success.no-error-key',
    title: 'A success body carries no `error` key',
    severity: 'MUST',
    rule: 'spec: ImagesResponse (not required: [error]); facts §6.7, §4.5 (HTTP 200 with an error body)',
    examplesOnly: true,
    judge(_ctx, gen) {
      const expected = 'a 200 body without an error key';
      return judgeBody(gen, expected, (b) => {
        if ('error' in b) return fail(expected, `200 with error: ${JSON.stringify(b.error).slice(0, 200)}`, [gen.exchange]);
        return pass(`keys: ${Object.keys(b).join(', ')}`, gen.exchange);
      });
    },
  }),
  {
    id: 'success.echo-fields',
    title: 'Echoed size/quality/output_format/background are present where the catalogue says and match the request or the default (`auto`: any value the model takes, never `auto` itself)',
    severity: 'MUST',
    rule: 'catalogue output.echo, params.*.default, size.default; spec ImagesResponse.size/quality; facts §6.5, §4.2 (LiteLLM echoes request defaults: quality "hd" for dall-e-3, size "auto")',
    scope: 'model',
    uses: ['baseline', 'defaults'],
    appliesTo: (_ctx, t) => (t.model ? true : `'${t.name}' is not in the catalogue`),
    async run(ctx, t) {
      // The baseline names every echoed field; the defaults generation names none of them.
      const gens = await Promise.all([ctx.generation(t, 'baseline'), ctx.generation(t, 'defaults')]);
      const judged = gens.map((gen) => judgeEcho(t.model!, gen));
      const failed = judged.filter((j) => j.status === 'fail');
      const exchanges = gens.map((g) => g.exchange);
      if (failed.length) return fail(judged.map((j) => j.expected).join('; '), failed.map((j) => j.observed).join('; '), exchanges);
      return pass(judged.map((j) => j.observed).join('; '), ...exchanges);
    },
  },
];

const ECHO_FIELDS = ['size', 'quality', 'output_format', 'background'] as const;
type EchoField = (typeof ECHO_FIELDS)[number];

/**
 * Echoed fields of one answer against what the request asked for or left to the catalogue's defaults.
 * The fields the catalogue says the model echoes must be there; any echoed field must be honest: a
 * concrete request (or default) exactly, a symbolic one (`auto`) as any concrete value the model takes.
 */
export function judgeEcho(m: Model, gen: Generation): { status: 'pass' | 'fail'; expected: string; observed: string } {
  const f = gen.request.fields;
  const asked = (k: EchoField) => (typeof f[k] === 'string' ? (f[k] as string) : undefined);
  const describeWant = (k: EchoField) => {
    const wanted = k === 'size' ? (asked(k) ?? m.size.default) : (asked(k) ?? enumDefault(m, k));
    return `${k} ${wanted ?? '(any)'}${k in f ? '' : ' (default)'}`;
  };
  const omitted = m.output.echo.filter((k) => !(k in f));
  const what = `${gen.kind}${omitted.length ? ` (${omitted.join(', ')} omitted)` : ''}`;
  const expected = `${what}: ${m.output.echo.length ? m.output.echo.map(describeWant).join(', ') : 'echoed fields (none required) match the request'}`;
  const failure = generationFailure(gen, expected);
  if (failure?.status === 'fail') return { status: 'fail', expected, observed: `${gen.kind}: ${failure.observed}` };
  const b = body(gen);
  const problems: string[] = [];
  for (const k of ECHO_FIELDS) {
    const got = b[k];
    if (got === undefined) {
      if (m.output.echo.includes(k)) problems.push(`${k} missing`);
      continue;
    }
    if (got === 'auto') problems.push(`${k} is 'auto' (must be the value used)`);
    else if (typeof got !== 'string' || !echoSatisfies(m, k, asked(k), got)) problems.push(`${k} is ${JSON.stringify(got)} (${describeWant(k)})`);
  }
  if (problems.length) return { status: 'fail', expected, observed: `${gen.kind}: ${problems.join(', ')}` };
  const echoed = ECHO_FIELDS.filter((k) => b[k] !== undefined);
  return { status: 'pass', expected, observed: `${gen.kind}: ${echoed.length ? echoed.map((k) => `${k} ${String(b[k])}`).join(', ') : 'no echo fields'}` };
}

function enumDefault(m: Model, k: Exclude<EchoField, 'size'>): string | undefined {
  const param = m.params[k];
  return isSupported(param) ? param.default : undefined;
}

function echoSatisfies(m: Model, k: EchoField, requested: string | undefined, got: string): boolean {
  if (k === 'size') return sizeSatisfies(m, requested, got);
  const param = m.params[k];
  // A parameter the model does not take has nothing it could honestly echo.
  return isSupported(param) && valueSatisfies(param, requested, got);
}

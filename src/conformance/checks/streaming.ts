// stream: true (models that stream): a text/event-stream of partial images with increasing index,
// then exactly one completed event with usage; every data line valid JSON of the x-event-schema.
import { operation } from '../../contract/spec.js';
import { decodeImage, decodePlainBase64 } from '../../images/index.js';
import { fail, pass } from '../assert.js';
import type { Generation, RunContext } from '../context.js';
import { bodyText, describe, header, isJsonMediaType, isObject, mediaType } from '../exchange.js';
import { imageOrigin } from '../run-images.js';
import { parseSse, type SseEvent } from '../sse.js';
import type { CheckDef, Outcome } from '../types.js';
import { generationCheck } from './generation-check.js';

interface ParsedEvent {
  sse: SseEvent;
  json?: unknown;
  jsonError?: string;
  type?: string;
}

interface ParsedStream {
  events: ParsedEvent[];
  unterminated?: string;
}

function streamEvents(ctx: RunContext, gen: Generation): Promise<ParsedStream> {
  return ctx.memo(`sse:${gen.exchange.seq}`, async () => {
    const parsed = parseSse(bodyText(gen.exchange));
    const events = parsed.events.map((sse) => {
      try {
        const json = JSON.parse(sse.data) as unknown;
        return { sse, json, ...(isObject(json) && typeof json.type === 'string' ? { type: json.type } : {}) };
      } catch (error) {
        return { sse, jsonError: (error as Error).message.split('\n')[0]! };
      }
    });
    return { events, ...(parsed.unterminated ? { unterminated: parsed.unterminated } : {}) };
  });
}

/** The event schema the spec names for the streamed answer of createImage. */
function eventSchema(): string {
  const content = (operation('createImage').operation as { responses: Record<string, { content?: Record<string, Record<string, unknown>> }> }).responses['200']
    ?.content?.['text/event-stream'];
  return (content?.['x-event-schema'] as string | undefined) ?? '#/components/schemas/ImageGenStreamEvent';
}

/** The stream could be read as SSE: 200 text/event-stream. Otherwise the failure dependent checks report. */
function notAStream(gen: Generation, expected: string): Outcome | undefined {
  const ex = gen.exchange;
  if (ex.response?.status === 200 && mediaType(ex) === 'text/event-stream') return undefined;
  return fail(expected, `no event stream: ${describe(ex)}`, [ex]);
}

/** `judge` on the parsed events of a readable stream; otherwise the `notAStream` failure. */
async function judgeEvents(ctx: RunContext, gen: Generation, expected: string, judge: (stream: ParsedStream) => Outcome | Promise<Outcome>): Promise<Outcome> {
  return notAStream(gen, expected) ?? judge(await streamEvents(ctx, gen));
}

export const streamingChecks: CheckDef[] = [
  generationCheck('stream', {
    id: 'streaming.content-type',
    title: '`stream: true` is answered 200 with text/event-stream',
    severity: 'MUST',
    rule: 'spec: createImage 200 text/event-stream; catalogue params.stream; facts §6.12',
    judge(_ctx, { exchange: ex }, t) {
      if (ex.response?.status === 200 && mediaType(ex) === 'text/event-stream') return pass(header(ex, 'content-type')!, ex);
      const note =
        ex.response && ex.response.status === 400
          ? `The gateway rejects stream: true for ${t.name}; the catalogue says ${t.model?.id ?? t.name} streams.`
          : undefined;
      return fail('200 text/event-stream', describe(ex), [ex], note);
    },
  }),
  generationCheck('stream', {
    id: 'streaming.not-plain-json',
    title: '`stream: true` is never answered with a plain JSON 200 (unsupported streaming must be a 400)',
    severity: 'MUST',
    rule: 'facts §6.12 (unsupported streaming is a 400, not plain JSON), §4.5 (stream silently ignored), §3.2 (the SDK iterator yields nothing); models that cannot stream: catalogue stream unsupported reject, checked by model-rules.unsupported-params-rejected',
    judge(_ctx, { exchange: ex }) {
      if (!ex.response) return fail('an event stream or a 400 error', describe(ex), [ex]);
      if (ex.response.status === 200 && isJsonMediaType(mediaType(ex)))
        return fail('an event stream or a 400 error', `200 ${mediaType(ex)}: stream: true was ignored`, [ex], 'The official SDK then yields no events at all (facts §3.2).');
      return pass(`${ex.response.status} ${mediaType(ex) || '(no content-type)'}`, ex);
    },
  }),
  generationCheck('stream', {
    id: 'streaming.event-sequence',
    title: '0..partial_images partial events with increasing index, then exactly one completed event with usage',
    severity: 'MUST',
    rule: 'spec: ImageGenStreamEvent description; facts §1.5, §6.12',
    judge(ctx, gen) {
      const k = Number(gen.request.fields.partial_images ?? 0);
      const expected = `0-${k} image_generation.partial_image events (increasing partial_image_index), then one image_generation.completed with usage, nothing after`;
      return judgeEvents(ctx, gen, expected, ({ events, unterminated }) => {
        const problems: string[] = [];
        const partials: number[] = [];
        let completed = 0;
        events.forEach((e, i) => {
          if (e.jsonError) return problems.push(`event ${i + 1} data is not JSON`);
          if (e.sse.event === 'error' || (isObject(e.json) && 'error' in e.json)) return problems.push(`event ${i + 1} is an error: ${e.sse.data.slice(0, 160)}`);
          if (e.sse.event !== undefined && e.type !== undefined && e.sse.event !== e.type) problems.push(`event ${i + 1}: 'event: ${e.sse.event}' but type '${e.type}'`);
          if (completed) problems.push(`event ${i + 1} (${e.type}) comes after the completed event`);
          if (e.type === 'image_generation.partial_image') {
            const idx = (e.json as { partial_image_index?: unknown }).partial_image_index;
            if (typeof idx !== 'number') problems.push(`partial event ${i + 1} has no partial_image_index`);
            else {
              if (partials.length && idx <= partials[partials.length - 1]!) problems.push(`partial_image_index ${idx} after ${partials[partials.length - 1]}`);
              partials.push(idx);
            }
          } else if (e.type === 'image_generation.completed') {
            completed++;
            if (!isObject((e.json as { usage?: unknown }).usage)) problems.push('the completed event has no usage');
          } else problems.push(`event ${i + 1} has type ${JSON.stringify(e.type)}`);
        });
        if (partials.length > k) problems.push(`${partials.length} partial events for partial_images ${k}`);
        if (completed === 0) problems.push('no image_generation.completed event');
        if (completed > 1) problems.push(`${completed} completed events`);
        if (unterminated) problems.push('the stream ends inside an event (no blank line after the last data line)');
        if (gen.exchange.response?.truncated || gen.exchange.error) problems.push(`the stream broke off: ${gen.exchange.error?.message ?? 'truncated'}`);
        if (problems.length) return fail(expected, problems.slice(0, 6).join('; '), [gen.exchange]);
        return pass(`${partials.length} partial event(s) [${partials.join(', ')}], then 1 completed event with usage`, gen.exchange);
      });
    },
  }),
  generationCheck('stream', {
    id: 'streaming.events-validate',
    title: "Every data line is JSON valid against the operation's x-event-schema",
    severity: 'MUST',
    rule: 'spec: createImage text/event-stream x-event-schema (ImageGenStreamEvent)',
    judge(ctx, gen) {
      const schema = eventSchema();
      const expected = `every data line valid against ${schema.split('/').pop()}`;
      return judgeEvents(ctx, gen, expected, ({ events }) => {
        if (events.length === 0) return fail(expected, 'the stream has no events', [gen.exchange]);
        const problems: string[] = [];
        events.forEach((e, i) => {
          if (e.jsonError) return problems.push(`event ${i + 1}: not JSON (${e.jsonError})`);
          const p = ctx.validator.problems(schema, e.json);
          if (p.length) problems.push(`event ${i + 1} (${e.type ?? '?'}): ${p.slice(0, 2).map((x) => `${x.path} ${x.message}`).join(', ')}`);
        });
        if (problems.length) return fail(expected, problems.slice(0, 5).join('; '), [gen.exchange]);
        return pass(`${events.length} valid event(s)`, gen.exchange);
      });
    },
  }),
  generationCheck('stream', {
    id: 'streaming.completed-image',
    title: "The completed event's image decodes with the requested size and format",
    severity: 'MUST',
    rule: 'spec: ImageGenCompletedEvent.b64_json; catalogue size/output_format',
    judge(ctx, gen, t) {
      const want = gen.request.expect;
      const expected = `a ${want.format === 'any' ? 'PNG/JPEG/WebP' : want.format} image of ${want.size ?? 'the requested size'}`;
      return judgeEvents(ctx, gen, expected, async ({ events }) => {
        const completed = events.find((e) => e.type === 'image_generation.completed');
        const b64 = (completed?.json as { b64_json?: unknown } | undefined)?.b64_json;
        if (typeof b64 !== 'string') return fail(expected, 'no completed event with b64_json', [gen.exchange]);
        const decodedB64 = decodePlainBase64(b64);
        if (!decodedB64.ok) return fail(expected, `b64_json is not plain base64: ${decodedB64.reason}`, [gen.exchange]);
        const d = await decodeImage(decodedB64.bytes);
        if (!d.ok) return fail(expected, `does not decode: ${d.reason}`, [gen.exchange]);
        await ctx.gallery.add(`stream ${t.name} completed`, decodedB64.bytes, d, { ...imageOrigin(ctx, gen.exchange, gen.kind), index: 0 });
        const size = `${d.width}x${d.height}`;
        if (want.size && size !== want.size) return fail(expected, `${d.format} ${size}`, [gen.exchange]);
        if (want.format !== 'any' && d.format !== want.format) return fail(expected, `${d.format} ${size}`, [gen.exchange]);
        return pass(`${d.format} ${size}`, gen.exchange);
      });
    },
  }),
];

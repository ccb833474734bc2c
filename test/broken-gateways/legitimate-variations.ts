// Correct gateways that differ from the mock in ways the contract allows. The suite must pass each:
// these guard against false alarms (the other half of "every defect, no false alarm").
import { randomUUID } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { findModel, isSymbolic } from '../../src/contract/catalogue.js';
import { renderPng } from '../../src/images/index.js';
import { isGeneration, jsonOf, mediaTypeOf, rewriteResponse, successOf, when, withJson, type Middleware } from './interposer.js';
import type { GatewaySetup } from './harness.js';

export interface Variation extends GatewaySetup {
  id: string;
  title: string;
  /** Why the contract allows it. */
  why: string;
  apply: Middleware;
}

const compressAll = (encoding: 'gzip' | 'br', compress: (b: Buffer) => Buffer): Middleware =>
  rewriteResponse((res) =>
    mediaTypeOf(res).endsWith('json') && res.body.length > 0 ? { ...res, headers: { ...res.headers, 'content-encoding': encoding }, body: compress(res.body) } : undefined,
  );

// A real gpt-image model picks `auto` itself: a portrait image at another quality is just as correct.
const autoResolvedOtherwise: Middleware = when(isGeneration, async (req, forward) => {
  const res = await forward(req);
  const asked = jsonOf(req) ?? {};
  const body = successOf(res);
  const model = typeof asked.model === 'string' ? findModel(asked.model) : undefined;
  if (!body || !model || model.family !== 'gpt-image' || !Array.isArray(body.data)) return res;
  const out: Record<string, unknown> = { ...body };
  if (asked.quality === undefined) out.quality = 'high';
  const size = typeof asked.size === 'string' ? asked.size : model.size.default;
  const png = asked.output_format === undefined || asked.output_format === 'png';
  if (isSymbolic(model.size.resolves, size) && png && asked.background !== 'transparent') {
    out.size = '1024x1536';
    out.data = body.data.map((_, index) => ({ b64_json: renderPng({ width: 1024, height: 1536, seed: 'variation', prompt: String(asked.prompt), index }).toString('base64') }));
  }
  return withJson(res, out);
});

const extraFields: Middleware = async (req, forward) => {
  const res = await forward(req);
  const headers = { ...res.headers, 'x-request-id': randomUUID(), 'x-gateway-provider': 'openai' };
  const json = jsonOf(res);
  if (!json) return { ...res, headers };
  if (res.status >= 400 && typeof json.error === 'object' && json.error) {
    return withJson({ ...res, headers }, { ...json, provider: 'openai', error: { ...(json.error as object), inner_error: { code: 'ResponsibleAIPolicyViolation' } } });
  }
  return withJson({ ...res, headers }, { ...json, provider: 'openai' });
};

const createdEarlier: Middleware = rewriteResponse((res) => {
  const body = successOf(res);
  return body && typeof body.created === 'number' ? withJson(res, { ...body, created: body.created - 3600 }) : undefined;
});

export const VARIATIONS: Variation[] = [
  { id: 'gzip-everywhere', title: 'Every JSON answer gzip-compressed, asked or not', why: 'HTTP content coding (CDNs compress unasked)', apply: compressAll('gzip', gzipSync) },
  { id: 'brotli-everywhere', title: 'Every JSON answer brotli-compressed', why: 'HTTP content coding', apply: compressAll('br', brotliCompressSync) },
  {
    id: 'auto-resolved-otherwise',
    title: '`auto` quality and size resolved differently from the mock (high, 1024x1536)',
    why: 'facts §1.2: auto lets the model choose; the catalogue `resolves` is only the mock\'s choice',
    models: ['gpt-image-1', 'gpt-image-1.5'],
    apply: autoResolvedOtherwise,
  },
  {
    id: 'extra-fields',
    title: 'Extra top-level and error fields, extra headers, UUID request ids',
    why: 'spec: no additionalProperties: false on responses; facts §4.1 (provider), §2.1 (Azure inner_error)',
    apply: extraFields,
  },
  { id: 'created-an-hour-ago', title: '`created` an hour in the past (queued generation)', why: 'spec: unix seconds; facts §6.2 (within a day of now)', apply: createdEarlier },
];

// Shared helpers of the mock tests: requests, error checks against the spec's error kinds, and
// response validation against our spec and against OpenAI's own published ImagesResponse.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { buildError, errorKind, type ErrorVars } from '../../src/contract/errors.js';
import { specValidator } from '../../src/contract/validator.js';

export const KEY = 'sk-test-0123456789abcdef';
export const JSON_HEADERS = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
  ms: number;
}

export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, ms: performance.now() - started };
}

export function post(url: string, body: unknown, headers: Record<string, string> = JSON_HEADERS): Promise<Answer> {
  return call(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

export function multipart(url: string, form: FormData, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }): Promise<Answer> {
  return call(url, { method: 'POST', headers, body: form });
}

/** The answer is exactly the spec's error of `kind` (status, type, code; param and message when given). */
export function expectError(a: Answer, kind: string, vars?: ErrorVars & { param?: string | null }): void {
  const k = errorKind(kind);
  expect(a.status, a.text).toBe(k.status);
  expect(a.headers.get('content-type')).toMatch(/^application\/json/);
  expect(specValidator().problems('ErrorResponse', a.json)).toEqual([]);
  expect(a.json.error.type).toBe(k.body.error.type);
  expect(a.json.error.code).toBe(k.body.error.code);
  if (vars) expect(a.json).toEqual(buildError(kind, vars).body);
  expectRequestId(a);
}

export function expectNativeError(a: Answer, kind: string, vars?: ErrorVars): void {
  const built = buildError(kind, vars ?? {}, { envelope: 'native' });
  expect(a.status, a.text).toBe(built.status);
  expect(specValidator().problems('NativeErrorResponse', a.json)).toEqual([]);
  expect(a.json.error.code).toBe((built.body as { error: { code: string } }).error.code);
  if (vars) expect(a.json.error.message).toBe((built.body as { error: { message: string } }).error.message);
  expectRequestId(a);
}

export function expectRequestId(a: { headers: Headers }): void {
  expect(a.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
  expect(a.headers.get('openai-processing-ms')).toMatch(/^[0-9]+$/);
  expect(a.headers.get('access-control-allow-origin')).toBe('*');
}

let openai: ValidateFunction | undefined;

/** OpenAI's own ImagesResponse (test/fixtures/openai-openapi-images.json; 3.0 `nullable` ignored). */
export function openaiImagesResponse(): ValidateFunction {
  if (!openai) {
    const doc = JSON.parse(readFileSync(new URL('../fixtures/openai-openapi-images.json', import.meta.url), 'utf8'));
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats.default(ajv);
    ajv.addFormat('unixtime', { type: 'number', validate: () => true });
    ajv.addSchema(doc, 'openai');
    openai = ajv.compile({ $ref: 'openai#/components/schemas/ImagesResponse' });
  }
  return openai;
}

/** A success body validates against our ImagesResponse and OpenAI's. */
export function expectImagesResponse(body: unknown, { openaiSchema = true } = {}): void {
  expect(specValidator().problems('ImagesResponse', body)).toEqual([]);
  if (openaiSchema) {
    const validate = openaiImagesResponse();
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  }
}

export interface SseEvent {
  event: string;
  data: any;
}

/** Parses a text/event-stream body into its events (`event:` + one `data:` line each). */
export function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))!.slice(7);
      const data = JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6));
      return { event, data };
    });
}

export function b64(answer: Answer, i = 0): Buffer {
  return Buffer.from(answer.json.data[i].b64_json, 'base64');
}

// Every example of the bundled spec is valid against the schema it illustrates: media-type examples of
// request bodies and responses (component examples through every $ref to them), parameter and header
// examples, and the `examples` of schemas. Streams are checked event by event against the media type's
// `x-event-schema`; base64 images must be real PNG/JPEG/WebP; error examples must agree with the
// statuses of the responses that show them and cover every ErrorCode and NativeErrorCode.
import { describe, it, expect } from 'vitest';
import sharp from 'sharp';
import { spec, constVocabulary, specValidator, errorKinds, type JsonObject } from '../../src/contract/index.js';
import { examplesOf, forEachSchema, mediaTypes, parametersAndHeaders, parseSse, pointer, responses, type Path } from './spec-walk.js';

const doc = spec();
const validator = specValidator();

const problemsAt = (schemaPath: Path | string, value: unknown) => {
  const ref = typeof schemaPath === 'string' ? schemaPath : pointer(schemaPath);
  return validator.problems(ref, value).map((p) => `${p.path} ${p.message}`);
};
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---- media types -----------------------------------------------------------------------------------
const media = mediaTypes(doc);
const mediaCases = media.flatMap((m) =>
  examplesOf(doc, m.media, m.path).map((e) => ({ label: `${pointer(m.path)} ${e.name}`, media: m, example: e })),
);
const referencedExamples = new Set(mediaCases.flatMap((c) => (c.example.ref ? [c.example.ref] : [])));

describe('media-type examples', () => {
  it('there are request and response examples to check', () => {
    expect(mediaCases.filter((c) => c.media.request).length).toBeGreaterThan(5);
    expect(mediaCases.filter((c) => !c.media.request).length).toBeGreaterThan(40);
  });

  it.each(mediaCases.map((c) => [c.label, c] as const))('%s validates against its schema', (_label, c) => {
    expect(c.media.media.schema, 'media type has no schema').toBeDefined();
    expect(problemsAt([...c.media.path, 'schema'], c.example.value)).toEqual([]);
  });

  it('every component example is shown by some media type', () => {
    const unused = Object.keys(doc.components.examples).filter((name) => !referencedExamples.has(`#/components/examples/${name}`));
    expect(unused).toEqual([]);
  });
});

// ---- server-sent events ------------------------------------------------------------------------------
const streamCases = mediaCases.filter((c) => c.media.mediaType === 'text/event-stream');

describe('text/event-stream examples', () => {
  it('exist', () => expect(streamCases.length).toBeGreaterThanOrEqual(2));

  it.each(streamCases.map((c) => [c.label, c] as const))('%s: every data payload is an x-event-schema event, partials then one completed', (_label, c) => {
    const eventSchema = c.media.media['x-event-schema'];
    expect(typeof eventSchema).toBe('string');
    expect(typeof c.example.value).toBe('string');
    const events = parseSse(c.example.value as string);
    expect(events.length).toBeGreaterThan(0);
    const types: string[] = [];
    const partialIndexes: number[] = [];
    for (const event of events) {
      const payload: unknown = JSON.parse(event.data);
      expect(problemsAt(eventSchema as string, payload), event.data.slice(0, 80)).toEqual([]);
      if (event.event === 'error') {
        expect(problemsAt('ErrorResponse', payload)).toEqual([]);
        types.push('error');
        continue;
      }
      const type = (payload as { type: string }).type;
      expect(event.event, 'the event: line names the payload type').toBe(type);
      types.push(type);
      if (type.endsWith('.partial_image')) partialIndexes.push((payload as { partial_image_index: number }).partial_image_index);
    }
    const completed = types.filter((t) => t.endsWith('.completed'));
    expect(completed).toHaveLength(1);
    expect(types[types.length - 1]).toBe(completed[0]);
    expect(partialIndexes).toEqual(partialIndexes.map((_, i) => i));
  });
});

// ---- parameters, headers, schemas --------------------------------------------------------------------
const paramCases = parametersAndHeaders(doc).flatMap(({ path, node }) =>
  examplesOf(doc, node, path).map((e) => ({ label: `${pointer(path)} ${e.name}`, path, value: e.value })),
);
const schemaCases: Array<{ label: string; path: Path; value: unknown }> = [];
forEachSchema(doc, (schema, path) => {
  if (Array.isArray(schema.examples)) schema.examples.forEach((value, i) => schemaCases.push({ label: `${pointer(path)} examples[${i}]`, path, value }));
  if ('example' in schema) schemaCases.push({ label: `${pointer(path)} example`, path, value: schema.example });
});

describe('parameter and header examples', () => {
  it('exist', () => expect(paramCases.length).toBeGreaterThan(0));
  it.each(paramCases.map((c) => [c.label, c] as const))('%s validates against the schema', (_label, c) => {
    expect(problemsAt([...c.path, 'schema'], c.value)).toEqual([]);
  });
});

describe('schema examples', () => {
  it('exist', () => expect(schemaCases.length).toBeGreaterThan(5));
  it.each(schemaCases.map((c) => [c.label, c] as const))('%s validates against its schema', (_label, c) => {
    expect(problemsAt(c.path, c.value)).toEqual([]);
  });
});

// ---- base64 images -------------------------------------------------------------------------------------
interface ImageCase {
  label: string;
  b64: string;
  outputFormat?: string;
  background?: string;
}

/** Every b64_json string in an example value, with the output_format/background in force where it sits. */
function collectImages(value: unknown, label: string, inherited: Omit<ImageCase, 'label' | 'b64'>, out: ImageCase[]): void {
  if (Array.isArray(value)) return value.forEach((v, i) => collectImages(v, `${label}[${i}]`, inherited, out));
  if (!isObject(value)) return;
  const here = {
    ...inherited,
    ...(typeof value.output_format === 'string' ? { outputFormat: value.output_format } : {}),
    ...(typeof value.background === 'string' ? { background: value.background } : {}),
  };
  for (const [key, child] of Object.entries(value)) {
    if (key === 'b64_json' && typeof child === 'string') out.push({ label: `${label}.b64_json`, b64: child, ...here });
    else collectImages(child, `${label}.${key}`, here, out);
  }
}

const imageCases: ImageCase[] = [];
for (const c of mediaCases) {
  if (c.media.mediaType === 'text/event-stream' && typeof c.example.value === 'string')
    parseSse(c.example.value).forEach((e, i) => collectImages(JSON.parse(e.data), `${c.label} event ${i}`, {}, imageCases));
  else collectImages(c.example.value, c.label, {}, imageCases);
}

const MAGIC: Record<string, (b: Buffer) => boolean> = {
  png: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  jpeg: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  webp: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

describe('base64 image examples', () => {
  it('exist in PNG and WebP', () => {
    expect(imageCases.length).toBeGreaterThan(5);
  });

  it.each(imageCases.map((c) => [c.label, c] as const))('%s decodes to a real image', async (_label, c) => {
    const bytes = Buffer.from(c.b64, 'base64');
    expect(bytes.toString('base64'), 'canonical standard base64').toBe(c.b64);
    const format = Object.keys(MAGIC).find((f) => MAGIC[f]!(bytes));
    expect(format, 'PNG, JPEG or WebP magic bytes').toBeDefined();
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe(format);
    const { info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    expect(info.width * info.height).toBeGreaterThan(0);
    if (c.outputFormat) expect(format, 'matches the echoed output_format').toBe(c.outputFormat);
    if (c.background === 'transparent') expect(meta.hasAlpha, 'a transparent background needs an alpha channel').toBe(true);
  });
});

// ---- error examples ------------------------------------------------------------------------------------
const errorCodes = constVocabulary('ErrorCode', doc);
const nativeCodes = constVocabulary('NativeErrorCode', doc);
const componentExamples = Object.entries(doc.components.examples);
const openaiErrorValues = componentExamples.map(([, e]) => e.value).filter((v): v is { error: { code: unknown } } => isObject(v) && isObject(v.error) && 'type' in v.error);
const nativeErrorValues = componentExamples
  .map(([, e]) => e.value)
  .filter((v): v is { status: 'error'; error: { code: string } } => isObject(v) && v.status === 'error' && isObject(v.error));

/** Every (response status, component example) pair where an error response shows the example. */
const shown = responses(doc).flatMap((r) =>
  /^\d{3}$/.test(r.status) && Number(r.status) >= 400
    ? Object.entries((r.response.content ?? {}) as Record<string, JsonObject>).flatMap(([mediaType, m]) =>
        examplesOf(doc, m, [...r.path, 'content', mediaType]).map((e) => ({
          where: `${r.operation.method.toUpperCase()} ${r.operation.route} ${r.status} ${e.name}`,
          status: Number(r.status),
          example: e.example ?? {},
          value: e.value,
        })),
      )
    : [],
);

describe('error examples', () => {
  it('every x-error example is shown by at least one error response', () => {
    const shownKinds = new Set(shown.flatMap((s) => (isObject(s.example['x-error']) ? [s.example['x-error'].kind as string] : [])));
    expect([...errorKinds().keys()].filter((kind) => !shownKinds.has(kind))).toEqual([]);
  });

  it('x-error.status equals the status of every response that shows the example', () => {
    const mismatches = shown
      .filter((s) => isObject(s.example['x-error']) && s.example['x-error'].status !== s.status)
      .map((s) => `${s.where}: x-error.status ${(s.example['x-error'] as JsonObject).status}`);
    expect(mismatches).toEqual([]);
  });

  it("a known code's documented status (x-status) equals the status of every response that shows it", () => {
    const openaiStatus = new Map(errorCodes.map((c) => [c.value, c.status]));
    const nativeStatus = new Map(nativeCodes.map((c) => [c.value, c.status]));
    const mismatches: string[] = [];
    for (const s of shown) {
      if (!isObject(s.value) || !isObject(s.value.error)) continue;
      const code = s.value.error.code as string;
      const expected = s.value.status === 'error' ? nativeStatus.get(code) : openaiStatus.get(code);
      if (s.value.status === 'error') expect(nativeStatus.has(code), `${s.where}: native code ${code}`).toBe(true);
      if (expected !== undefined && expected !== s.status) mismatches.push(`${s.where}: ${code} is documented as ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('x-error metadata is complete: native codes exist, templates reproduce the example message', () => {
    const native = new Set(nativeCodes.map((c) => c.value));
    for (const kind of errorKinds().values()) {
      expect(kind.native, `${kind.example}: x-error.native`).toBeDefined();
      expect(native.has(kind.native!.code), `${kind.example}: ${kind.native!.code}`).toBe(true);
      if (!kind.template) continue;
      const pattern = kind.template
        .split(/\{\w+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.+');
      expect(kind.body.error.message, `${kind.example}: template ${kind.template}`).toMatch(new RegExp(`^${pattern}$`));
    }
  });

  it('every ErrorCode appears as error.code in an example', () => {
    const used = new Set(openaiErrorValues.map((v) => v.error.code));
    expect(errorCodes.map((c) => c.value).filter((code) => !used.has(code))).toEqual([]);
  });

  it('every NativeErrorCode appears in a native example', () => {
    const used = new Set(nativeErrorValues.map((v) => v.error.code));
    expect(nativeCodes.map((c) => c.value).filter((code) => !used.has(code))).toEqual([]);
  });
});

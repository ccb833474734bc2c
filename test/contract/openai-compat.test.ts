// Our spec must accept every request OpenAI's own schema accepts (for the models it lists).
// Bodies are generated with fast-check from OpenAI's published schema (a copy at
// test/fixtures/openai-openapi-images.json, openai/openai-openapi f85dbe2): every property, explicit
// JSON nulls where OpenAI marks a field nullable, any of its enum values, its keyword ranges and the
// ranges it states in prose. Each body is first checked against OpenAI's schema (so the generator
// cannot drift into bodies OpenAI would reject), then against ours.
//
// Deliberate tightenings - where ours has a keyword and OpenAI has prose or nothing - are the only
// places the generators below are narrower than "any string":
//   - prompt: maxLength 32000 characters (OpenAI: "The maximum length is 32000 characters for the GPT
//     image models" in the description only). Generated up to exactly 32000 code points, CJK and emoji included.
//   - output_compression: 0-100 (OpenAI: "compression level (0-100%)" in prose; its JSON edit body has the keywords).
//   - size: `auto` or WIDTHxHEIGHT with 1-5 digit edges (OpenAI: any string; its prose describes WIDTHxHEIGHT).
//   - model: a ModelId, 1-256 characters of [A-Za-z0-9._:/@+-] starting alphanumeric (OpenAI: any string).
//   - user: maxLength 256 (OpenAI: no limit); image file_id: maxLength 256 (OpenAI: no limit).
// Per-model rules (sizes per model, n=1 for dall-e-3, ...) are not schema rules on either side.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { specValidator, spec, type JsonObject } from '../../src/contract/index.js';
import { examplesOf, mediaTypes, parseSse } from './spec-walk.js';

type Schema = JsonObject & { properties?: Record<string, Schema>; anyOf?: Schema[]; enum?: unknown[] };

const openai = JSON.parse(readFileSync(new URL('../fixtures/openai-openapi-images.json', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, Schema> };
};
const schemas = openai.components.schemas;
const createProps = schemas.CreateImageRequest!.properties!;
const editProps = schemas.EditImageBodyJsonParam!.properties!;
const refProps = schemas.ImageRefParam!.properties!;
const partialImages = schemas.PartialImages!;

/** OpenAI's document is 3.1 but uses 3.0's `nullable`; as JSON Schema 2020-12 that means anyOf [..., null]. */
function withRealNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withRealNulls);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, withRealNulls(v)]));
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

const openaiAjv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(openaiAjv);
openaiAjv.addFormat('unixtime', { type: 'number', validate: () => true });
openaiAjv.addSchema(withRealNulls(openai) as object, 'openai');
const openaiValidates = (name: string, value: unknown) => {
  const validate = openaiAjv.getSchema(`openai#/components/schemas/${name}`)!;
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};
const ours = (name: string, value: unknown) => specValidator().problems(name, value).map((p) => `${p.path} ${p.message}`);

// ---- reading OpenAI's schema -------------------------------------------------------------------------
const enumOf = (s: Schema): string[] => {
  const values = s.enum ?? s.anyOf?.find((b) => Array.isArray(b.enum))?.enum;
  if (!values) throw new Error(`no enum in ${JSON.stringify(s).slice(0, 80)}`);
  return values as string[];
};
const isNullable = (s: Schema) => s.nullable === true || (s.anyOf ?? []).some((b) => b.type === 'null');
const rangeOf = (s: Schema): { min: number; max: number } => {
  const int = s.type === 'integer' ? s : s.anyOf?.find((b) => b.type === 'integer');
  if (typeof int?.minimum !== 'number' || typeof int.maximum !== 'number') throw new Error('no integer range');
  return { min: int.minimum, max: int.maximum };
};
/** A limit OpenAI states only in prose, read from the description so the test notices when the prose changes. */
const proseNumber = (s: Schema, pattern: RegExp): number => {
  const m = pattern.exec(String(s.description));
  if (!m) throw new Error(`prose limit ${pattern} not found in: ${String(s.description).slice(0, 120)}`);
  return Number(m[1]);
};
const PROMPT_MAX = proseNumber(createProps.prompt!, /maximum length is (\d+) characters for the GPT image models/);
const COMPRESSION_MAX = proseNumber(createProps.output_compression!, /compression level \(0-(\d+)%\)/);

// ---- arbitraries -----------------------------------------------------------------------------------
const orNull = <T>(s: Schema, arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => (isNullable(s) ? fc.oneof(arb, fc.constant(null)) : arb);
const oneOfEnum = (s: Schema) => orNull(s, fc.constantFrom(...enumOf(s)));
const inRange = (s: Schema, range = rangeOf(s)) => orNull(s, fc.integer(range));

const codePoint = (min: number, max: number) => fc.integer({ min, max }).map((cp) => String.fromCodePoint(cp));
/** Prompt characters: ASCII (incl. quotes, backslashes, newlines), CJK ideographs, kana, Hangul, emoji (astral). */
const promptChar = fc.oneof(
  { weight: 4, arbitrary: codePoint(0x20, 0x7e) },
  fc.constantFrom('\n', '\t', '"', '\\', '\u00e9'),
  codePoint(0x4e00, 0x9fff),
  codePoint(0x3040, 0x30ff),
  codePoint(0xac00, 0xd7a3),
  codePoint(0x1f300, 0x1f64f),
);
/** Strings of 0..max characters (code points), short ones and ones of exactly max and near it. */
function promptString(min: number, max: number): fc.Arbitrary<string> {
  const long = fc.tuple(fc.array(promptChar, { minLength: 1, maxLength: 24 }), fc.integer({ min: Math.max(min, max - 64), max })).map(([chars, n]) =>
    Array.from({ length: n }, (_, i) => chars[i % chars.length]).join(''),
  );
  return fc.oneof(fc.string({ unit: promptChar, minLength: min, maxLength: 200 }), long, fc.constantFrom(...['a', '猫', '😀'].map((c) => c.repeat(max))));
}
const freeModelId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,40}$/),
  fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,40}$/)).map(([p, m]) => `${p}/${m}`),
);
const modelOf = (s: Schema) => orNull(s, fc.oneof(fc.constantFrom(...enumOf(s)), freeModelId));
const customSize = fc.tuple(fc.integer({ min: 1, max: 99999 }), fc.integer({ min: 1, max: 99999 })).map(([w, h]) => `${w}x${h}`);
const sizeOf = (s: Schema, custom: boolean) => orNull(s, custom ? fc.oneof(fc.constantFrom(...enumOf(s)), customSize) : fc.constantFrom(...enumOf(s)));
const user = fc.string({ unit: 'binary', maxLength: 256 });
/** Fields OpenAI's schema does not name: it allows them (no additionalProperties), and so does ours. */
const extraFields = fc.dictionary(fc.stringMatching(/^x_[a-z]{1,8}$/), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 });

const createRequest = fc
  .tuple(
    fc.record(
      {
        prompt: promptString(0, PROMPT_MAX),
        model: modelOf(createProps.model!),
        n: inRange(createProps.n!),
        quality: oneOfEnum(createProps.quality!),
        response_format: oneOfEnum(createProps.response_format!),
        output_format: oneOfEnum(createProps.output_format!),
        output_compression: orNull(createProps.output_compression!, fc.integer({ min: 0, max: COMPRESSION_MAX })),
        stream: orNull(createProps.stream!, fc.boolean()),
        partial_images: inRange(partialImages),
        size: sizeOf(createProps.size!, true),
        moderation: oneOfEnum(createProps.moderation!),
        background: oneOfEnum(createProps.background!),
        style: oneOfEnum(createProps.style!),
        user,
      },
      { requiredKeys: ['prompt'] },
    ),
    extraFields,
  )
  .map(([body, extra]) => ({ ...extra, ...body }));

const dataUrl = fc
  .tuple(fc.constantFrom('png', 'jpeg', 'webp'), fc.uint8Array({ minLength: 1, maxLength: 96 }))
  .map(([format, bytes]) => `data:image/${format};base64,${Buffer.from(bytes).toString('base64')}`);
const imageRef = fc.oneof(
  fc.record({ image_url: fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), dataUrl) }),
  fc.record({ file_id: fc.stringMatching(/^file-[A-Za-z0-9]{1,40}$/) }),
);
const images = editProps.images!;
const editRequest = fc.record(
  {
    images: fc.array(imageRef, { minLength: images.minItems as number, maxLength: images.maxItems as number }),
    mask: imageRef,
    prompt: promptString(editProps.prompt!.minLength as number, editProps.prompt!.maxLength as number),
    model: modelOf(editProps.model!),
    n: inRange(editProps.n!),
    quality: oneOfEnum(editProps.quality!),
    input_fidelity: oneOfEnum(editProps.input_fidelity!),
    size: sizeOf(editProps.size!, false),
    user,
    output_format: oneOfEnum(editProps.output_format!),
    output_compression: inRange(editProps.output_compression!),
    moderation: oneOfEnum(editProps.moderation!),
    background: oneOfEnum(editProps.background!),
    stream: orNull(editProps.stream!, fc.boolean()),
    partial_images: inRange(partialImages),
  },
  { requiredKeys: ['images', 'prompt'] },
);

const NUM_RUNS = 300;

describe('requests OpenAI accepts, we accept', () => {
  it('the generators cover what they claim (every property, nulls, limits read from the schema)', () => {
    expect(Object.keys(createProps).sort()).toEqual(
      ['prompt', 'model', 'n', 'quality', 'response_format', 'output_format', 'output_compression', 'stream', 'partial_images', 'size', 'moderation', 'background', 'style', 'user'].sort(),
    );
    expect(Object.keys(editProps).sort()).toEqual(
      ['images', 'mask', 'prompt', 'model', 'n', 'quality', 'input_fidelity', 'size', 'user', 'output_format', 'output_compression', 'moderation', 'background', 'stream', 'partial_images'].sort(),
    );
    expect(PROMPT_MAX).toBe(32000);
    expect(COMPRESSION_MAX).toBe(100);
    expect(rangeOf(createProps.n!)).toEqual({ min: 1, max: 10 });
    expect(rangeOf(partialImages)).toEqual({ min: 0, max: 3 });
  });

  it('CreateImageRequest: every generated body valid for OpenAI is valid for ours', () => {
    fc.assert(
      fc.property(createRequest, (body) => {
        expect(openaiValidates('CreateImageRequest', body), 'generator produced a body OpenAI rejects').toEqual([]);
        expect(ours('CreateImageRequest', body)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('EditImageBodyJsonParam -> EditImageJsonRequest: every generated body valid for OpenAI is valid for ours', () => {
    fc.assert(
      fc.property(editRequest, (body) => {
        expect(openaiValidates('EditImageBodyJsonParam', body), 'generator produced a body OpenAI rejects').toEqual([]);
        expect(ours('EditImageJsonRequest', body)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("OpenAI's own property examples make valid requests for ours", () => {
    const prompt = createProps.prompt!.example;
    const withEach = (props: Record<string, Schema>, base: JsonObject) =>
      Object.entries(props)
        .filter(([, s]) => s.example !== undefined)
        .map(([name, s]) => ({ ...base, [name]: s.example }));
    const createBodies = [
      ...withEach(createProps, { prompt }),
      Object.fromEntries(Object.entries(createProps).flatMap(([k, s]) => (s.example !== undefined ? [[k, s.example]] : []))),
    ];
    const ref = { image_url: refProps.image_url!.example };
    const editBase = { images: [ref], prompt: editProps.prompt!.example };
    const editBodies = [...withEach(editProps, editBase), { ...editBase, images: [{ file_id: refProps.file_id!.example }], mask: ref }];
    expect(createBodies.length).toBeGreaterThan(10);
    expect(editBodies.length).toBeGreaterThan(10);
    for (const body of createBodies) {
      expect(openaiValidates('CreateImageRequest', body)).toEqual([]);
      expect(ours('CreateImageRequest', body), JSON.stringify(body)).toEqual([]);
    }
    for (const body of editBodies) {
      expect(openaiValidates('EditImageBodyJsonParam', body)).toEqual([]);
      expect(ours('EditImageJsonRequest', body), JSON.stringify(body)).toEqual([]);
    }
  });
});

describe('responses we document, OpenAI accepts', () => {
  // The other direction for success bodies: what our examples show a server sending validates against
  // OpenAI's ImagesResponse and stream events, so the official SDKs' types hold for it.
  const doc = spec();
  const json = mediaTypes(doc).filter((m) => !m.request && m.statuses.has(200) && (m.media.schema as JsonObject | undefined)?.$ref === '#/components/schemas/ImagesResponse');
  const streams = mediaTypes(doc).filter((m) => !m.request && m.mediaType === 'text/event-stream');

  it('ImagesResponse examples', () => {
    const examples = json.flatMap((m) => examplesOf(doc, m.media, m.path));
    expect(examples.length).toBeGreaterThan(5);
    for (const e of examples) expect(openaiValidates('ImagesResponse', e.value), e.name).toEqual([]);
  });

  it('stream event examples', () => {
    let checked = 0;
    for (const m of streams)
      for (const e of examplesOf(doc, m.media, m.path))
        for (const event of parseSse(e.value as string)) {
          const payload = JSON.parse(event.data) as { type: string };
          const schema = payload.type.startsWith('image_edit.') ? 'ImageEditStreamEvent' : 'ImageGenStreamEvent';
          expect(openaiValidates(schema, payload), `${e.name} ${payload.type}`).toEqual([]);
          checked++;
        }
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});

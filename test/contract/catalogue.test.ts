// The model catalogue (generated/models.json) and the gateway profiles (generated/profiles.json) are
// valid against their own JSON Schemas and consistent with the spec: every value a model accepts is a
// value the spec's enums and patterns accept, every error kind exists, every default is servable.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  allModels,
  builtInProfiles,
  errorKinds,
  findModel,
  isSupported,
  operations,
  requestParamSchemaName,
  requestParamEnum,
  spec,
  specValidator,
  type JsonObject,
  type ModelParams,
  type OperationId,
} from '../../src/contract/index.js';

const root = new URL('../../', import.meta.url);
const readJson = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const doc = spec();
const validator = specValidator();
const models = allModels();
const schemas = doc.components.schemas;
const enumOf = (name: string) => (schemas[name] as { enum: string[] }).enum;
const property = (schema: string, name: string) => (schemas[schema] as { properties: Record<string, JsonObject> }).properties[name]!;
const operationIds = new Set(operations(doc).map((o) => o.operationId));

/** The spec enum each enumerated model parameter draws its values from. */
const SPEC_ENUM: Partial<Record<keyof ModelParams, string>> = {
  quality: 'ImageQuality',
  style: 'ImageStyle',
  response_format: 'ResponseFormat',
  output_format: 'OutputFormat',
  background: 'Background',
  moderation: 'Moderation',
  input_fidelity: 'InputFidelity',
};
/** Where a resolved symbolic value (`auto`) ends up: the response echo, which never says `auto`. */
const ECHO_ENUM: Partial<Record<keyof ModelParams, string[]>> = {
  quality: (property('ImagesResponse', 'quality') as { enum: string[] }).enum,
  background: (property('ImagesResponse', 'background') as { enum: string[] }).enum,
};

function compile(schemaFile: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  return ajv.compile(readJson(schemaFile) as object);
}

describe('model catalogue', () => {
  it('generated/models.json validates against openapi/models.schema.json', () => {
    const validate = compile('openapi/models.schema.json');
    expect(validate(readJson('generated/models.json')), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it('model ids and aliases are unique and valid ModelIds', () => {
    const names = models.flatMap((m) => [m.id, ...m.aliases]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    for (const name of names) expect(validator.problems('ModelId', name), name).toEqual([]);
  });

  it('every model of KnownImageModel is in the catalogue (id or alias)', () => {
    expect(enumOf('KnownImageModel').filter((id) => !findModel(id))).toEqual([]);
  });

  it.each(Object.entries(SPEC_ENUM))('the spec derives %s -> %s from the request schemas', (param, specEnum) => {
    expect(requestParamSchemaName(param)).toBe(specEnum);
    expect(requestParamEnum(param)).toEqual(enumOf(specEnum));
  });

  it.each(Object.entries(SPEC_ENUM))('every %s value, default and resolution is in the spec enum %s', (param, specEnum) => {
    const allowed = enumOf(specEnum);
    const echo = ECHO_ENUM[param as keyof ModelParams];
    for (const model of models) {
      const rule = model.params[param as keyof ModelParams];
      if (!isSupported(rule) || !('values' in rule)) continue;
      const where = `${model.id}.params.${param}`;
      expect(rule.values.filter((v) => !allowed.includes(v)), where).toEqual([]);
      if (rule.default !== undefined) expect(rule.values, `${where}.default`).toContain(rule.default);
      for (const [from, to] of Object.entries(rule.resolves ?? {})) {
        expect(rule.values, `${where}.resolves key`).toContain(from);
        expect(echo ?? allowed, `${where}.resolves ${from}`).toContain(to);
      }
      for (const f of rule.transparentFormats ?? []) expect(enumOf('OutputFormat'), `${where}.transparentFormats`).toContain(f);
    }
  });

  it('ranges stay inside the spec request ranges (n, output_compression, partial_images) and prompt limits inside maxLength', () => {
    const request = (name: string) => property('CreateImageRequest', name) as { minimum: number; maximum: number; maxLength: number };
    for (const model of models) {
      expect(model.n.min, `${model.id}.n`).toBeGreaterThanOrEqual(request('n').minimum);
      expect(model.n.max, `${model.id}.n`).toBeLessThanOrEqual(request('n').maximum);
      expect(model.n.default, `${model.id}.n.default`).toBeGreaterThanOrEqual(model.n.min);
      expect(model.n.default, `${model.id}.n.default`).toBeLessThanOrEqual(model.n.max);
      expect(model.prompt.maxChars, `${model.id}.prompt`).toBeLessThanOrEqual(request('prompt').maxLength);
      for (const param of ['output_compression', 'partial_images'] as const) {
        const rule = model.params[param];
        if (!isSupported(rule)) continue;
        expect(rule.min, `${model.id}.${param}`).toBeGreaterThanOrEqual(request(param).minimum);
        expect(rule.max, `${model.id}.${param}`).toBeLessThanOrEqual(request(param).maximum);
        for (const f of rule.formats ?? []) expect(enumOf('OutputFormat'), `${model.id}.${param}.formats`).toContain(f);
      }
    }
  });

  it('every size (values, default, resolutions, prices) is an ImageSize; resolutions are concrete', () => {
    const concrete = new RegExp((property('ImagesResponse', 'size') as { pattern: string }).pattern);
    for (const model of models) {
      const sizes = [...model.size.values, model.size.default, ...Object.keys(model.size.resolves ?? {}), ...(model.pricing ?? []).flatMap((p) => (p.size ? [p.size] : []))];
      for (const size of sizes) expect(validator.problems('ImageSize', size), `${model.id} ${size}`).toEqual([]);
      for (const to of Object.values(model.size.resolves ?? {})) expect(to, `${model.id}.size.resolves`).toMatch(concrete);
      if (!model.size.values.includes(model.size.default)) expect(model.size.custom, `${model.id}.size.default`).toBeDefined();
      const custom = model.size.custom;
      // Every custom size the rules allow must be writable as an ImageSize (edges of 1-5 digits).
      if (custom) expect(validator.problems('ImageSize', `${custom.maxEdge}x${custom.minEdge}`), `${model.id}.size.custom`).toEqual([]);
    }
  });

  it('every error kind the catalogue names is an x-error kind, and its param a request field', () => {
    const kinds = errorKinds();
    const fields = new Set([
      ...Object.keys((schemas.CreateImageRequest as { properties: object }).properties),
      ...Object.keys((schemas.CreateImageEditRequest as { properties: object }).properties),
    ]);
    const found: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (!node || typeof node !== 'object') return;
      for (const [key, child] of Object.entries(node)) {
        if (key === 'error' && child && typeof child === 'object' && 'kind' in child) {
          const { kind, param } = child as { kind: string; param?: string | null };
          found.push(kind);
          expect(kinds.has(kind), `${where}.error.kind ${kind}`).toBe(true);
          if (typeof param === 'string') expect(fields.has(param), `${where}.error.param ${param}`).toBe(true);
        } else walk(child, `${where}.${key}`);
      }
    };
    for (const model of models) walk(model, model.id);
    expect(found.length).toBeGreaterThan(10);
  });

  it("models' operations exist in the spec and the upload rules exist where they are needed", () => {
    const edit = property('CreateImageEditRequest', 'image[]') as { maxItems: number };
    const editEncoding = (doc.paths['/images/edits']!.post as { requestBody: { content: Record<string, { encoding: Record<string, { contentType: string }> }> } })
      .requestBody.content['multipart/form-data']!.encoding;
    const mimes = (field: string) => editEncoding[field]!.contentType.split(',').map((s) => s.trim());
    for (const model of models) {
      for (const op of model.operations) expect(operationIds.has(op), `${model.id}: ${op}`).toBe(true);
      if (model.operations.includes('createImageEdit')) {
        expect(model.edits, `${model.id}.edits`).toBeDefined();
        expect(model.edits!.image.maxCount ?? 1).toBeLessThanOrEqual(edit.maxItems);
        for (const f of model.edits!.image.formats) expect(mimes('image'), `${model.id}.edits.image`).toContain(`image/${f}`);
        for (const f of model.edits!.mask?.formats ?? []) expect(mimes('mask'), `${model.id}.edits.mask`).toContain(`image/${f}`);
      }
      if (model.operations.includes('createImageVariation')) expect(model.variations, `${model.id}.variations`).toBeDefined();
    }
  });
});

describe('gateway profiles', () => {
  const profiles = Object.entries(builtInProfiles());

  it('there are profiles', () => expect(profiles.length).toBeGreaterThanOrEqual(3));

  it.each(profiles)('%s validates against profile.schema.json', (_name, profile) => {
    const validate = compile('openapi/profiles/profile.schema.json');
    expect(validate(profile), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it.each(profiles)('%s: operations exist, models exist, default models serve their operation', (_name, profile) => {
    for (const op of profile.operations) expect(operationIds.has(op), op).toBe(true);
    if (profile.models !== '*') for (const id of profile.models) expect(findModel(id), id).toBeDefined();
    for (const [op, id] of Object.entries(profile.defaultModel)) {
      if (id === null || id === undefined) continue;
      const model = findModel(id);
      expect(model, `defaultModel.${op} ${id}`).toBeDefined();
      expect(model!.operations, `defaultModel.${op} ${id}`).toContain(op as OperationId);
      expect(profile.operations, `defaultModel.${op}: the profile serves ${op}`).toContain(op);
      if (profile.models !== '*') expect(profile.models.map((m) => findModel(m)?.id), `defaultModel.${op} ${id} is served`).toContain(model!.id);
    }
    if (profile.modelRequired) expect(Object.values(profile.defaultModel).filter((id) => typeof id === 'string')).toEqual([]);
  });
});
